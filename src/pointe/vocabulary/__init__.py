"""The step vocabulary: steps as YAML data (``steps/*.yaml``), loaded and checked."""
