"""Exports of a Performance: BVH, glTF (a skinned, animated .glb), the AIST++/EDGE NPZ layout,
the rehearsal video (MP4)."""
