"""Exports of a Performance: BVH, the AIST++/EDGE NPZ layout, the rehearsal video (MP4)."""
