"""Motion: choreography to Performance, foot contacts, physical checks, motion metrics."""
