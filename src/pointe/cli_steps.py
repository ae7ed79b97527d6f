"""``pointe steps``: list, search, show, perform and draw the step vocabulary."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

steps_app = typer.Typer(
    help="The step vocabulary: list and search it, show a step, perform it, draw it.",
    invoke_without_command=True, no_args_is_help=False,
)


def _library():
    from pointe.vocabulary import library

    return library.load()


def _summary(step) -> dict:
    return {"id": step.id, "name": step.name, "aliases": list(step.aliases),
            "family": step.family, "categories": list(step.categories), "level": step.level,
            "counts": list(step.counts)}


@steps_app.callback()
def steps(
    ctx: typer.Context,
    search: Annotated[str, typer.Option("--search", "-s", help="Part of a name or alias.")] = "",
    family: Annotated[str | None, typer.Option(help="Only this family (barre, adagio, turn, "
                                               "petit-allegro, grand-allegro, pointe, linking, "
                                               "pose, contemporary).")] = None,
    level: Annotated[str | None, typer.Option(help="Only this level (beginner, intermediate, "
                                              "advanced, professional).")] = None,
    category: Annotated[str | None, typer.Option(help="Only steps in this category, e.g. "
                                                 "classical or contemporary.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print every step found as JSON.")]
    = False,
) -> None:
    """List the steps of the vocabulary, or search it.

    Example: pointe steps --family petit-allegro --level beginner
    """
    if ctx.invoked_subcommand is not None:
        return
    found = _library().search(search, family=family, level=level, category=category)
    if json_out:
        sys.stdout.write(json.dumps([_summary(s) for s in found], indent=2, ensure_ascii=False)
                         + "\n")
        return
    for step in found:
        counts = step.counts[0]
        typer.echo(f"{step.id:34s} {step.name:34s} {step.family:14s} {step.level:13s} "
                   f"{counts} count{'s' if counts != 1 else ''}")
    typer.echo(f"{len(found)} step{'s' if len(found) != 1 else ''}")


@steps_app.command("show")
def show(name: Annotated[str, typer.Argument(help="A step's id, French name or alias.")]
         ) -> None:
    """Print a step's definition.

    Example: pointe steps show "battement tendu devant"
    """
    import yaml

    step = _library().get(name)
    data = {
        "id": step.id, "name": step.name, "aliases": list(step.aliases), "family": step.family,
        "categories": list(step.categories), "level": step.level,
        "counts": dict(zip(("default", "min", "max"), step.counts, strict=True)),
        "music": {"bpm": list(step.bpm), "accent": step.accent},
        "start": step.start.__dict__, "end": step.end.__dict__,
        "travel": {"direction": step.travel, "distance_m": step.travel_m},
        "turn": {"degrees": step.turn_deg}, "elevation": step.elevation,
        "effort": step.effort, "load": step.load, "mirror": step.mirror,
        "description": step.description,
        "keys": [{"at": k.at, "air": k.air, "position": {
            f: getattr(k.position, f) for f in k.position.__dataclass_fields__}}
            for k in step.keys],
    }
    typer.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True).rstrip())


@steps_app.command("perform")
def perform(
    name: Annotated[str, typer.Argument(help="A step's id, French name or alias.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for <id>.bvh, <id>.glb "
                                         "and <id>.npz.")],
    side: Annotated[str, typer.Option(help="right or left: the working leg.")] = "right",
    bpm: Annotated[float, typer.Option(help="Counts a minute: one count lasts 60/bpm s.")]
    = 120.0,
    counts: Annotated[int | None, typer.Option(help="Counts the step takes (default: its "
                                               "own).")] = None,
    fps: Annotated[float, typer.Option(help="Frames a second.")] = 60.0,
    height: Annotated[float, typer.Option(help="The dancer's height in metres.")] = 1.65,
) -> None:
    """Perform one step and write it as BVH, glTF (.glb) and NPZ (AIST++ layout).

    Example: pointe steps perform "retiré passé" --side left --bpm 96 -o out/
    """
    from pointe.errors import UsageError
    from pointe.export import bvh, gltf, npz
    from pointe.motion.synthesis import TimedStep, perform_steps

    if side not in ("left", "right"):
        raise UsageError(f"--side: expected left or right (not {side!r})")
    if not 20 <= bpm <= 320:
        raise UsageError(f"--bpm {bpm}: counts a minute, between 20 and 320")
    step = _library().get(name)
    n = counts if counts is not None else step.counts[0]
    if not step.counts[1] <= n <= step.counts[2]:
        raise UsageError(f"--counts {n}: {step.name} takes {step.counts[1]} to "
                         f"{step.counts[2]} counts")
    if not output.is_dir():
        raise UsageError(f"-o {output}: no such folder (create it first)")
    try:
        motion = perform_steps([TimedStep(step, 0.0, n * 60.0 / bpm, side)], fps=fps,
                               dancer=step.id, height_m=height)
    except ValueError as err:
        raise UsageError(str(err)) from err
    bvh.write(motion, output / f"{step.id}.bvh")
    gltf.write(motion, output / f"{step.id}.glb")
    npz.write(motion, output / f"{step.id}.npz")
    typer.echo(f"wrote {step.id}.bvh, .glb and .npz in {output} "
               f"({motion.frames} frames, {motion.duration_s:.2f} s)")


@steps_app.command("sheet")
def sheet(
    output: Annotated[Path, typer.Option("-o", "--output", help="The PNG to write.")],
    family: Annotated[str | None, typer.Option(help="Only this family.")] = None,
    side: Annotated[str, typer.Option(help="right or left.")] = "right",
) -> None:
    """Draw every step's key positions, front and side, as one PNG contact sheet.

    Example: pointe steps sheet --family barre -o barre.png
    """
    from pointe.body.drawing import step_sheet
    from pointe.body.positions import pose
    from pointe.errors import UsageError

    found = _library().search(family=family)
    if not found:
        raise UsageError(f"--family {family!r}: no steps in that family")
    rows = [(f"{s.name}\n({s.family}, {s.counts[0]} ct)",
             [(f"{k.at:g}{' air' if k.air else ''}", pose(k.position, side=side).joints)
              for k in s.keys]) for s in found]
    step_sheet(rows, output)
    typer.echo(f"wrote {output} ({len(found)} steps)")
