"""Exports of a Performance: BVH, the AIST++/EDGE NPZ layout (glTF and video to come)."""
