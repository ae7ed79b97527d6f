"""Render pointe's bundled demo music (run once at development time; the outputs are committed).

    python scripts/render_demo.py

Writes ``src/pointe/data/demo/``: ``demo.ogg`` (the audio), ``demo.mid`` (the score with its exact
tempo map), ``demo.truth.json`` (felt beats, downbeats and bars, in the benchmark's truth format,
see ``rendering.build_truth`` in benchmarks/) and ``README.md`` (what the piece is and where it
comes from).

The piece is the Menuetto of Mozart's "Hunt" quartet, played A A B as dancers hear it, on the
General MIDI piano of the FluidR3_GM SoundFont, at a quick three (144 quarters a minute, a bar
every 1.25 s) with a gentle rubato (at most 4 % either way). The same run gives the same files,
byte for byte (``rendering.set_ogg_serial`` fixes the one random field, the Ogg serial number).
"""

from __future__ import annotations

import sys
import textwrap
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import excerpts  # noqa: E402 - lives in benchmarks/, shared with the benchmark data set
import rendering  # noqa: E402
from excerpts import Piece  # noqa: E402

OUT = REPO / "src" / "pointe" / "data" / "demo"
SEED = 0
LEAD_IN_S = 0.5
SAMPLE_RATE = 22_050
MAX_BYTES = 1_000_000

DEMO = Piece(
    id="demo",
    corpus_path="mozart/k458/movement2.mxl",
    title="String Quartet No. 17 in B-flat major, K. 458 'The Hunt': Menuetto (Moderato)",
    composer="Wolfgang Amadeus Mozart",
    source="composed 1784; published 1785 by Artaria, Vienna, as one of the six 'Haydn' "
           "quartets, Op. 10",
    bpm=144,
    play=((1, 8), (1, 8), (9, 28)),  # the Menuetto: A repeated, then B
    kind="menuet",
)

README = """# Demo music

`demo.ogg` is pointe's bundled demo music: a minuet, a real dance in three, {duration_s:.0f}
seconds long, rendered from a public-domain score.

{piece}
- **Score:** music21's bundled corpus, `{corpus_path}` (music21 {music21_version}). The music is
  in the public domain everywhere (Mozart died in 1791); the encoding ships with music21, whose
  code is BSD-3-Clause licensed and whose corpus it describes as freely distributable.
- **Sound:** General MIDI piano (program 0) of the FluidR3_GM SoundFont by Frank Wen, MIT licence
  (Debian package `fluid-soundfont-gm`), rendered with the `fluidsynth` command line, {rate} Hz
  stereo, Ogg Vorbis.
- **Tempo:** {bpm:g} quarter notes a minute (a bar every {bar_s:.2f} s) with a gentle rubato
  (largest swing {swing:.1%}), after {lead_in_s:g} s of silence.

`demo.mid` is the same music with its exact tempo map; `demo.truth.json` gives every felt beat,
downbeat and bar in seconds of `demo.ogg`, computed from the score and the tempo map (not by
pointe), in the benchmark's truth format (`benchmarks/rendering.py`).

Regenerate all four files with:

```
python scripts/render_demo.py
```
"""


def render_demo(out_dir: Path = OUT) -> rendering.Rendered:
    """Render the demo into ``out_dir`` and write its README."""
    excerpt = excerpts.load_excerpt(DEMO)
    rng = rendering.piece_rng(SEED, DEMO.id)
    curve = rendering.draw_curve("rubato", excerpt, rng, rubato_swing=(0.03, 0.04))
    done = rendering.render_piece(excerpt, out_dir, family="piano", curve=curve, rng=rng,
                                  lead_in_s=LEAD_IN_S, audio_suffix=".ogg", stem="demo",
                                  channels=2)
    _check_ogg(done.audio_path)
    _write_readme(out_dir / "README.md", done, curve)
    return done


def _check_ogg(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise rendering.RenderError(f"{path} is {size} bytes, more than {MAX_BYTES}")


def _write_readme(path: Path, done: rendering.Rendered, curve: rendering.TempoCurve) -> None:
    import music21

    piece = textwrap.fill(
        f"- **Piece:** {DEMO.composer}, {DEMO.title}. {DEMO.source[0].upper()}{DEMO.source[1:]}. "
        "Played bars 1-8, 1-8 again, then 9-28: the Menuetto as dancers hear it, without the "
        "second repeat and the Trio.", width=99, subsequent_indent="  ")
    text = README.format(
        duration_s=done.truth["duration"], piece=piece, corpus_path=DEMO.corpus_path,
        music21_version=music21.__version__,
        rate=SAMPLE_RATE, bpm=DEMO.bpm, bar_s=3 * 60 / DEMO.bpm,
        swing=max(abs(k) for k in curve.params["knots"]), lead_in_s=LEAD_IN_S)
    rendering.write_text(path, text)


def main() -> int:
    warnings.filterwarnings("ignore", module="music21")
    try:
        done = render_demo()
    except (excerpts.ScoreError, rendering.RenderError) as err:
        print(f"render_demo.py: {err}", file=sys.stderr)
        return 1
    truth = done.truth
    print(f"{done.audio_path.relative_to(REPO)}: {truth['duration']:.1f} s, "
          f"{done.audio_path.stat().st_size / 1e3:.0f} kB, {len(truth['beats'])} beats, "
          f"{len(truth['bars'])} bars of {truth['meter']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
