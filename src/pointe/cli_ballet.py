"""``pointe make``, ``compose``, ``regenerate``, ``check`` and ``explain``: the ballet itself."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from pointe.errors import DocumentError, MusicError, UsageError

BriefOpt = Annotated[Path | None, typer.Option("--brief", help="A brief (YAML): themes, style, "
                                               "level, cast, stage, steps to use or avoid, "
                                               "max jumps a minute, locked moves.")]
DancersOpt = Annotated[int | None, typer.Option("--dancers", help="How many dancers (1 to 12) "
                                                "when the brief names no cast.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Another seed gives another draft; the "
                                      "same seed gives the same ballet, byte for byte.")]


SCORES = (".mid", ".midi", ".xml", ".musicxml", ".mxl", ".json")


def _library():
    from pointe.vocabulary import library

    return library.load()


def _music_map(music: Path | None, say):
    """A MusicMap from a music file, or from a MusicMap JSON written by pointe."""
    from pointe.cli import default_cache_dir, demo_music
    from pointe.music import analyze
    from pointe.music.model import MusicMap

    path = music or demo_music()
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise MusicError(path, "no such file", "check the path") from None
        except (OSError, ValueError) as err:
            raise DocumentError(path, "", f"not a MusicMap JSON ({err.__class__.__name__})",
                                "write one with `pointe counts MUSIC --map FILE`") from None
        return path, MusicMap.from_dict(data, path=str(path))
    return path, analyze(path, cache_dir=default_cache_dir(), progress=say)


def _brief(path: Path | None, dancers: int | None):
    from pointe.compose import brief as briefs

    if dancers is not None and not 1 <= dancers <= 12:
        raise UsageError(f"--dancers {dancers}: pointe stages 1 to 12 dancers")
    result = briefs.load(path) if path is not None else briefs.Brief()
    if dancers is not None and result.cast and dancers != len(result.cast):
        raise UsageError(f"--dancers {dancers} but the brief's cast has {len(result.cast)} "
                         "dancers (drop --dancers or change the cast)")
    return result


def _relative(path: Path, folder: Path) -> str:
    try:
        return os.path.relpath(path.resolve(), folder.resolve())
    except ValueError:
        return str(path)


def _compose(music_map, brief, seed, dancers, music_file, map_file, progress=None):
    from pointe.compose import compose

    try:
        return compose(music_map, brief, _library(), seed=seed, dancers=dancers,
                       music_file=music_file, map_file=map_file, progress=progress)
    except ValueError as err:
        raise UsageError(str(err)) from None


def register(app: typer.Typer) -> None:
    app.command("make")(make)
    app.command("compose")(compose_command)
    app.command("regenerate")(regenerate)
    app.command("check")(check)
    app.command("explain")(explain)
    app.command("video")(video)
    app.command("preview")(preview)


def make(
    music: Annotated[Path | None, typer.Argument(help="Audio or score (default: the bundled "
                                                 "demo minuet).", show_default=False)] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The folder to write into.")]
    = Path("pointe-out"),
    brief: BriefOpt = None,
    dancers: DancersOpt = None,
    seed: SeedOpt = 0,
    fps: Annotated[float, typer.Option(help="Frames a second of the motion files.")] = 60.0,
) -> None:
    """Count MUSIC, compose a ballet on it, dance it, and write everything to a folder.

    Writes music.json (the MusicMap), ballet.yaml (the Choreography), counts.txt (the count
    sheet with the steps), motion/<dancer>.bvh, .glb and .npz, and preview.html (the 3D
    preview, when the music is audio).

    Example: pointe make waltz.ogg --brief brief.yaml --dancers 4 --seed 3 -o waltz/
    """
    from rich.progress import BarColumn, Progress, TextColumn

    from pointe.choreography import save
    from pointe.export import bvh, gltf, npz
    from pointe.fileio import write_text
    from pointe.motion.perform import perform
    from pointe.score import ballet as sheet
    from pointe.score.countsheet import render_json

    the_brief = _brief(brief, dancers)
    if fps <= 0 or fps > 240:
        raise UsageError(f"--fps {fps:g}: give 1 to 240 frames a second")
    _check_output_folder(output)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
                  "{task.total}"), transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("counting the music", total=4)
        path, music_map = _music_map(music, lambda step: bar.update(
            task, description=f"counting: {step}"))
        # Everything downstream uses the map as written to music.json, so the ballet and that
        # file alone give the same motion, preview and video again.
        from pointe.music.model import MusicMap

        music_map = MusicMap.from_dict(json.loads(render_json(music_map)))
        bar.update(task, advance=1, description="composing")
        try:
            (output / "motion").mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UsageError(f"-o {output}: cannot make the folder ({err.strerror}); give "
                             "a folder you can write to") from None
        choreography = _compose(music_map, the_brief, seed, dancers, _relative(path, output),
                                "music.json")
        bar.update(task, advance=1, description="dancing")
        library = _library()
        performance = perform(choreography, music_map, library, fps=fps)
        bar.update(task, advance=1, description="writing")
        write_text(output / "music.json", render_json(music_map))
        save(choreography, output / "ballet.yaml")
        write_text(output / "counts.txt", sheet.render(choreography, music_map))
        for motion in performance.motions:
            bvh.write(motion, output / "motion" / f"{motion.dancer}.bvh")
            gltf.write(motion, output / "motion" / f"{motion.dancer}.glb")
            npz.write(motion, output / "motion" / f"{motion.dancer}.npz")
        wrote = "music.json, ballet.yaml, counts.txt, motion/"
        if path.suffix.lower() not in SCORES:
            _write_preview(output / "preview.html", choreography, music_map, performance,
                           path, library)
            wrote += ", preview.html"
        bar.update(task, advance=1)
    typer.echo(f"Wrote {output}/: {wrote} ({len(performance.motions)} dancers)")


def compose_command(
    music: Annotated[Path | None, typer.Argument(help="Audio, score, or a MusicMap JSON "
                                                 "(default: the bundled demo).",
                                                 show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the ballet "
                                                "YAML here instead of stdout.")] = None,
    brief: BriefOpt = None,
    dancers: DancersOpt = None,
    seed: SeedOpt = 0,
) -> None:
    """Compose a ballet on MUSIC and print it as YAML (the Choreography).

    Example: pointe compose music.json --brief brief.yaml --seed 2 -o ballet.yaml
    """
    from pointe.choreography import dumps
    from pointe.cli import _with_progress
    from pointe.fileio import write_text

    the_brief = _brief(brief, dancers)
    path, music_map = _with_progress(lambda say: _music_map(music, say))
    folder = output.parent if output is not None else Path(".")
    map_file = _relative(path, folder) if path.suffix.lower() == ".json" else ""
    choreography = _compose(music_map, the_brief, seed, dancers, _relative(path, folder)
                            if map_file == "" else "", map_file)
    if map_file:
        from dataclasses import replace

        choreography = replace(choreography, music=replace(
            choreography.music, file=music_map.source.path))
    text = dumps(choreography)
    if output is not None:
        write_text(output, text)
    else:
        sys.stdout.write(text)


def _load_ballet(path: Path):
    from pointe.choreography import load

    return load(path, _library())


def _ballet_music(path: Path, choreography):
    """The MusicMap a ballet names (its map beside it, or its music counted again)."""
    from pointe.cli import _with_progress

    folder = path.parent
    if choreography.music.map:
        map_path = folder / choreography.music.map
        if map_path.exists():
            return _music_map(map_path, lambda _s: None)[1]
    music = _music_file(path, choreography, "put the music or its music.json beside the ballet, "
                        "or fix the path")
    return _with_progress(lambda say: _music_map(music, say))[1]


def _music_file(path: Path, choreography, fix: str) -> Path:
    """The ballet's music file, beside it or as written; DocumentError (with ``fix``) if absent."""
    music = path.parent / choreography.music.file
    if not music.exists():
        music = Path(choreography.music.file)
    if not music.exists():
        raise DocumentError(path, "music", f"the music {choreography.music.file!r} is not there",
                            fix)
    return music


def check(
    ballet: Annotated[Path, typer.Argument(help="The ballet YAML.")],
    no_music: Annotated[bool, typer.Option("--no-music", help="Check the document alone, "
                                           "without its music.")] = False,
) -> None:
    """Check a ballet: names, counts, transitions, stage, collisions, and its music's phrases.

    Prints every problem with its place and how to fix it; exits 3 if there are any.

    Example: pointe check ballet.yaml
    """
    from pointe.choreography import check as checking

    choreography = _load_ballet(ballet)
    music_map = None if no_music else _ballet_music(ballet, choreography)
    problems = checking(choreography, _library(), music_map=music_map)
    if problems:
        for problem in problems:
            typer.echo(f"{ballet}: {problem}", err=True)
        raise typer.Exit(DocumentError.exit_code)
    phrases = sum(len(s.phrases) for s in choreography.sections)
    typer.echo(f"{ballet}: ok ({len(choreography.sections)} sections, {phrases} phrases, "
               f"{len(choreography.cast)} dancers)")


def regenerate(
    ballet: Annotated[Path, typer.Argument(help="The ballet YAML.")],
    section: Annotated[str | None, typer.Option("--section", help="A section, e.g. 3.")] = None,
    phrase: Annotated[str | None, typer.Option("--phrase", help="A phrase, e.g. 3.2 (section "
                                               "3, phrase 2).")] = None,
    move: Annotated[str | None, typer.Option("--move", help="One move, by phrase and count, "
                                             "e.g. 3.2@5.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the new draft (default: "
                                             "the ballet's seed + 1).")] = None,
    brief: BriefOpt = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of "
                                                "over BALLET (which is then kept in "
                                                "BALLET's history folder).")] = None,
) -> None:
    """Compose part of a ballet again, keeping its locked moves and the seams around it.

    Example: pointe regenerate ballet.yaml --phrase 3.2 --seed 7
    """
    from pointe.choreography import dumps
    from pointe.compose.regenerate import regenerate as regen
    from pointe.fileio import write_text

    targets = [t for t in (section, phrase, move) if t is not None]
    if len(targets) != 1:
        raise UsageError("give exactly one of --section, --phrase or --move")
    choreography = _load_ballet(ballet)
    music_map = _ballet_music(ballet, choreography)
    the_brief = _brief(brief, None) if brief is not None else None
    use_seed = seed if seed is not None else (choreography.seed or 0) + 1
    result = regen(choreography, music_map, _library(), targets[0], seed=use_seed,
                   brief=the_brief)
    text = dumps(result)
    if output is None:
        _keep_history(ballet)
        write_text(ballet, text)
        typer.echo(f"{ballet}: regenerated {targets[0]} (the previous version is in "
                   f"{_history_dir(ballet)})")
    else:
        write_text(output, text)


def _check_output_folder(output: Path) -> None:
    """A clear error, before any work, where ``output`` cannot be a folder."""
    if output.exists() and not output.is_dir():
        raise UsageError(f"-o {output}: it is a file; give a folder")
    existing = next((p for p in output.parents if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise UsageError(f"-o {output}: {existing} is a file, not a folder; give a folder")


def _history_dir(path: Path) -> Path:
    return path.parent / f".{path.name}.history"


def _keep_history(path: Path) -> None:
    from pointe.fileio import write_bytes

    folder = _history_dir(path)
    folder.mkdir(exist_ok=True)
    number = len(list(folder.glob("*.yaml"))) + 1
    write_bytes(folder / f"{number:04d}.yaml", path.read_bytes())


def explain(
    ballet: Annotated[Path, typer.Argument(help="The ballet YAML.")],
    phrase: Annotated[str | None, typer.Option("--phrase", help="Only this phrase, e.g. "
                                               "3.2.")] = None,
) -> None:
    """Say why each phrase is what it is: the music, the themes and the device.

    Example: pointe explain ballet.yaml --phrase 2.1
    """
    from pointe.choreography.model import parse_phrase_id
    from pointe.score.ballet import explain as explaining

    choreography = _load_ballet(ballet)
    if phrase is None:
        sys.stdout.write(explaining(choreography))
        return
    try:
        s, p = parse_phrase_id(phrase, choreography)
    except ValueError as err:
        raise UsageError(f"--phrase: {err}") from None
    found = choreography.sections[s].phrases[p]
    typer.echo(f"{phrase} {found.device or 'written by hand'}")
    for reason in (found.why or "no reasons recorded (written by hand)").split("; "):
        typer.echo(f"  - {reason}")


def _ballet_audio(path: Path, choreography) -> Path:
    """The audio a ballet is danced to (a score has none to put in a video)."""
    music = _music_file(path, choreography, "put it beside the ballet or fix music.file")
    if music.suffix.lower() in SCORES:
        raise UsageError(f"{music.name} is a score: a video or preview needs the music as audio "
                         "(render the score to WAV or OGG and set music.file to it)")
    return music


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size {text!r}: write WIDTHxHEIGHT, e.g. 1280x720") from None
    if not (160 <= width <= 3840 and 90 <= height <= 2160) or width % 2 or height % 2:
        raise UsageError(f"--size {text}: give even sizes from 160x90 to 3840x2160")
    return width, height


def video(
    ballet: Annotated[Path, typer.Argument(help="The ballet YAML.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The MP4 to write.")]
    = Path("rehearsal.mp4"),
    view: Annotated[str, typer.Option(help="audience, top (the floor plan with trails) or "
                                      "mirror (as in a studio mirror).")] = "audience",
    speed: Annotated[float, typer.Option(help="Rehearsal speed, e.g. 0.75 (the music slows, "
                                         "its pitch kept).")] = 1.0,
    size: Annotated[str, typer.Option(help="WIDTHxHEIGHT in pixels.")] = "1280x720",
    start: Annotated[float | None, typer.Option("--start", help="Begin this many seconds into "
                                                "the music.")] = None,
    end: Annotated[float | None, typer.Option("--end", help="Stop this many seconds into the "
                                              "music.")] = None,
) -> None:
    """Render the rehearsal video of a ballet: the dancers, the music, the counts burnt in.

    H.264 MP4 at 30 frames a second, drawn without a display or a GPU.

    Example: pointe video ballet.yaml --view mirror --speed 0.75 -o rehearsal.mp4
    """
    from rich.progress import Progress

    from pointe.export.video import write_video
    from pointe.motion.perform import cues, perform

    choreography = _load_ballet(ballet)
    audio = _ballet_audio(ballet, choreography)
    music_map = _ballet_music(ballet, choreography)
    library = _library()
    span = None
    if start is not None or end is not None:
        span = (start or 0.0, end if end is not None else music_map.duration_s)
    pixels = _size(size)
    performance = perform(choreography, music_map, library, fps=30.0)
    moves = [cue.to_dict() for cue in cues(choreography, music_map, library)]
    with Progress(transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("drawing", total=None)
        write_video(output, music_map=music_map, performance=performance, moves=moves,
                    audio_path=audio, view=view, speed=speed, size=pixels,
                    stage_size_m=(choreography.stage.width_m, choreography.stage.depth_m),
                    span_s=span, progress=lambda done, total: bar.update(
                        task, completed=done, total=total))
    typer.echo(f"Wrote {output}")


def _write_preview(path: Path, choreography, music_map, performance, audio: Path, library) -> None:
    from pointe.export.preview import write_preview
    from pointe.motion.perform import cues

    write_preview(path, music_map=music_map, performance=performance,
                  moves=[cue.to_dict() for cue in cues(choreography, music_map, library)],
                  audio_path=audio, title=choreography.title,
                  stage_size_m=(choreography.stage.width_m, choreography.stage.depth_m))


def preview(
    ballet: Annotated[Path, typer.Argument(help="The ballet YAML.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")]
    = Path("preview.html"),
) -> None:
    """Write the 3D preview of a ballet: one HTML file with the music, that opens offline.

    Example: pointe preview ballet.yaml -o preview.html
    """
    from pointe.motion.perform import perform

    choreography = _load_ballet(ballet)
    audio = _ballet_audio(ballet, choreography)
    music_map = _ballet_music(ballet, choreography)
    library = _library()
    performance = perform(choreography, music_map, library, fps=30.0)
    _write_preview(output, choreography, music_map, performance, audio, library)
    typer.echo(f"Wrote {output}")
