"""The ``pointe`` command line.

Every command prints to stdout unless ``-o`` is given, writes files atomically, and turns a
``PointeError`` into one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from pointe import __version__
from pointe.errors import PointeError

app = typer.Typer(
    name="pointe",
    help="pointe: count music the way dancers count, and build a ballet on those counts.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

INTERNAL_ERROR_EXIT = 70


def demo_music() -> Path:
    """The bundled demo piece (see pointe/data/demo/README.md)."""
    return Path(str(resources.files("pointe") / "data" / "demo" / "demo.ogg"))


def default_cache_dir() -> Path:
    base = os.environ.get("POINTE_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "pointe" if base else Path.home() / ".cache" / "pointe"


MusicArg = Annotated[
    Path | None,
    typer.Argument(help="Audio (WAV, FLAC, OGG, MP3 …) or score (MIDI, MusicXML). "
                        "Default: the bundled demo minuet.", show_default=False),
]


@app.command()
def counts(
    music: MusicArg = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the MusicMap as JSON.")] = False,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write to this file instead of stdout.")] = None,
    map_out: Annotated[Path | None, typer.Option("--map", help="Also write the MusicMap JSON "
                                                 "to this file.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write the studio-wall "
                                              "picture of the music as one HTML file.")] = None,
    png: Annotated[Path | None, typer.Option(
        "--png", help="Also write that picture as PNG.")] = None,
    meter: Annotated[str | None, typer.Option(help="Correct the meter, e.g. 3/4 or 6/8.")] = None,
    bpm: Annotated[float | None, typer.Option(help="Correct the tempo: felt beats per minute.")]
    = None,
    first_downbeat: Annotated[float | None, typer.Option(
        "--first-downbeat", help="Correct where the first '1' is, in seconds.")] = None,
    count_unit: Annotated[str | None, typer.Option(
        "--count-unit", help="Count in beat, half-bar or bar (default: chosen from the tempo).")]
    = None,
    phrase_length: Annotated[int | None, typer.Option(
        "--phrase-length", help="Counts per phrase (default 8, or 6 for a bar of 3 counts).")]
    = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Decode again instead of reusing "
                                           "cached audio features.")] = False,
    tracker: Annotated[str, typer.Option(
        help="How audio beats are heard: network (pointe's beat network, the default) or "
             "tempogram (the older signal-processing tracker).")] = "network",
) -> None:
    """Count MUSIC the way dancers count it and print the count sheet.

    One row per eight: phrase, section, bars, start time and the time of every count.

    Example: pointe counts waltz.ogg --png waltz.png --count-unit bar
    """
    from pointe.fileio import write_text
    from pointe.music import analyze
    from pointe.score import countsheet

    path = music or demo_music()
    music_map = _with_progress(lambda say: analyze(
        path, meter=meter, bpm=bpm, first_downbeat_s=first_downbeat, count_unit=count_unit,
        phrase_length=phrase_length, cache_dir=None if no_cache else default_cache_dir(),
        progress=say, tracker=tracker))
    text = countsheet.render_json(music_map) if json_out else countsheet.render(music_map)
    if map_out is not None:
        write_text(map_out, countsheet.render_json(music_map))
    if html is not None or png is not None:
        from pointe.score import wall

        if html is not None:
            wall.write_html(music_map, html)
        if png is not None:
            wall.write_png(music_map, png)
    if output is not None:
        write_text(output, text)
    else:
        sys.stdout.write(text)


def _register_steps() -> None:
    from pointe.cli_steps import steps_app

    app.add_typer(steps_app, name="steps")


_register_steps()


def _register_ballet() -> None:
    from pointe.cli_ballet import register

    register(app)


_register_ballet()


@app.command()
def version() -> None:
    """Print pointe's version."""
    typer.echo(__version__)


def _with_progress(job):
    """Run ``job(say)`` with a spinner on stderr naming each step (silent when not a terminal)."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        return job(lambda _step: None)
    with console.status("pointe") as status:
        return job(lambda step: status.update(f"pointe: {step} …"))


def main() -> None:
    """Console entry point: one line and an exit code for every error.

    Typer reports its own usage errors (unknown option, missing value) with exit code 2.
    """
    try:
        app()
    except PointeError as err:
        typer.echo(f"pointe: error: {err}", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        typer.echo("pointe: interrupted", err=True)
        sys.exit(130)
    except Exception as err:  # noqa: BLE001 - the last line of defence of a command-line tool
        if os.environ.get("POINTE_DEBUG"):
            raise
        typer.echo(f"pointe: internal error: {type(err).__name__}: {err} (this is a bug in "
                   "pointe; run again with POINTE_DEBUG=1 and report the traceback)", err=True)
        sys.exit(INTERNAL_ERROR_EXIT)
