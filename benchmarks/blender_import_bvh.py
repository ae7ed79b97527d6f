"""Run inside Blender's Python (the ``bpy`` module): import a BVH with Blender's own importer and
write every bone's head, in Blender's world, at every frame, to an NPZ.

    python blender_import_bvh.py IN.bvh OUT.npz

Used by benchmarks/blender_bvh.py, which runs it with a Python that has ``bpy`` installed.
Blender's importer turns the file's Y up into its Z up (axis_up="Y", axis_forward="-Z").
"""

import sys

import bpy
import numpy as np


def main(source: str, target: str) -> None:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.ops.import_anim.bvh(filepath=source, global_scale=1.0, frame_start=1,
                            use_fps_scale=False, update_scene_fps=True,
                            update_scene_duration=True, rotate_mode="NATIVE",
                            axis_forward="-Z", axis_up="Y")
    armature = next(o for o in bpy.context.scene.objects if o.type == "ARMATURE")
    names = [bone.name for bone in armature.pose.bones]
    scene = bpy.context.scene
    heads = []
    for frame in range(scene.frame_start, scene.frame_end + 1):
        scene.frame_set(frame)
        world = armature.matrix_world
        heads.append([tuple(world @ bone.head) for bone in armature.pose.bones])
    np.savez(target, names=np.array(names), heads=np.array(heads, dtype=np.float64),
             fps=scene.render.fps / scene.render.fps_base)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
