"""Generate the benchmark data set: public-domain scores rendered to audio, with exact truth.

    python benchmarks/dataset.py --out benchmarks/data/rendered --seed 0
    python benchmarks/dataset.py --check benchmarks/data/rendered      # double-check the truth
    python benchmarks/dataset.py --list                                 # the pieces, nothing else

Every piece in ``PIECES`` comes from music21's bundled corpus. For each one the script writes
``<id>.mid`` (the score with a tempo map that holds the tempo curve exactly), ``<id>.flac`` (that
MIDI rendered by fluidsynth with the FluidR3_GM SoundFont, mono, 22 050 Hz, after a short
silence) and ``<id>.truth.json`` (felt beats, beat_in_bar, downbeats, bars with their meters and
the pickup, computed from the score and the tempo map, never by pointe; its keys are listed in
``rendering.build_truth``), and ``index.json`` lists them all.

The seed decides, for each piece, the instrument family (piano, strings, orchestra, winds) and the
tempo curve (steady, accelerando, ritardando, rubato, sudden change), spread so that every family
and every curve appears about equally often, in an order the seed draws; then the curve's
parameters, the silence before the music and a small velocity jitter, from a generator seeded by
the seed and the piece's id. The same seed gives the same MIDI, FLAC and JSON files, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import excerpts
import numpy as np
import rendering
import truth_checks
from excerpts import Piece
from rendering import CURVE_KINDS, FAMILIES

INDEX_SCHEMA = "pointe.benchmark-index/1"
DEFAULT_OUT = Path(__file__).resolve().parent / "data" / "rendered"

RYAN = "Ryan's Mammoth Collection (Boston: Elias Howe, 1883)"
FIFE = "American fife tunes (music21 miscFolk corpus, 18th-19th century)"

# Repeats are written out in ``play`` (score measure numbers, inclusive): a tune's AABB, the two
# halves of a bar split by a repeat sign join into one bar. bpm: felt beats (see excerpts.py).
PIECES: tuple[Piece, ...] = (
    # ---- 3/4
    Piece("mozart-k80-menuetto", "mozart/k80/movement3.mxl",
          "String Quartet No. 1, K. 80: Menuetto", "W. A. Mozart", "composed 1770", 126,
          play=((1, 8), (1, 8), (9, 28)), kind="menuet"),
    Piece("haydn-op74-1-menuetto", "haydn/opus74no1/movement3.mxl",
          "String Quartet Op. 74 No. 1: Menuetto (Allegretto)", "Joseph Haydn", "published 1795",
          144, play=((1, 14), (1, 14), (15, 36)), kind="menuet"),
    Piece("clara-schumann-polonaise-op1-2", "schumann_clara/polonaise_op1n2.mxl",
          "Quatre Polonaises Op. 1: No. 2", "Clara Wieck (Schumann)", "published 1831", 92,
          play=((1, 8), (1, 8), (9, 16), (9, 16)), kind="polonaise"),
    Piece("schubert-lindenbaum", "schubert/Lindenbaum.xml", "Winterreise: Der Lindenbaum",
          "Franz Schubert", "published 1828", 84, play=((1, 28),), kind="song"),
    Piece("star-spangled-banner", "miscFolk/americanfifeopus.abc", "The Star-Spangled Banner",
          "John Stafford Smith", FIFE, 100, number=26, play=((0, 8), (0, 25)), kind="anthem"),
    # ---- 2/4
    Piece("joplin-maple-leaf-rag", "joplin/maple_leaf_rag.mxl", "Maple Leaf Rag", "Scott Joplin",
          "published 1899", 96, play=((0, 16), (1, 15), (17, 32), (34, 34)), kind="rag"),
    Piece("beethoven-op18-1-finale", "beethoven/opus18no1/movement4.mxl",
          "String Quartet Op. 18 No. 1: Allegro", "Ludwig van Beethoven", "published 1801", 132,
          play=((1, 64),), kind="allegro"),
    Piece("haydn-op74-1-finale", "haydn/opus74no1/movement4.mxl",
          "String Quartet Op. 74 No. 1: Finale (Vivace)", "Joseph Haydn", "published 1795", 152,
          play=((0, 64),), kind="vivace"),
    Piece("american-hornpipe", "ryansMammoth/AmericanHornpipe.abc", "American Hornpipe",
          "traditional", RYAN, 112, play=((0, 8), (0, 17), (9, 17), (0, 8), (0, 17), (9, 17)),
          kind="hornpipe"),
    # ---- 4/4
    Piece("cpe-bach-h186-poco-adagio", "cpebach/h186.mxl", "Sonata H. 186 (Wq. 55/4): Poco adagio",
          "C. P. E. Bach", "published 1779", 58, play=((1, 16),), kind="adagio"),
    Piece("mozart-k155-allegro", "mozart/k155/movement1.mxl",
          "String Quartet No. 2, K. 155: Allegro", "W. A. Mozart", "composed 1772", 132,
          play=((1, 32),), kind="allegro"),
    Piece("bach-bwv1-6-chorale", "bach/bwv1.6", "Chorale 'Wie schön leuchtet der Morgenstern' "
          "(BWV 1/6)", "J. S. Bach", "composed 1725", 80, play=((0, 20),), kind="chorale"),
    # ---- 6/8, 9/8, 12/8
    Piece("mozart-k458-hunt", "mozart/k458/movement1.mxl",
          "String Quartet No. 17 'The Hunt', K. 458: Allegro vivace assai", "W. A. Mozart",
          "composed 1784", 104, play=((0, 56),), kind="hunt"),
    Piece("schumann-op41-1-scherzo", "schumann_robert/opus41no1/movement2.mxl",
          "String Quartet Op. 41 No. 1: Scherzo (Presto)", "Robert Schumann", "published 1843", 112,
          play=((1, 56),), kind="scherzo"),
    Piece("lift-every-voice", "johnson_j_r/lift_every_voice.mxl", "Lift Every Voice and Sing",
          "J. Rosamond Johnson", "published 1900", 63, play=((0, 31),), kind="hymn"),
    Piece("blivens-favorite-jig", "ryansMammoth/BlivensFavoriteJig.abc", "Bliven's Favorite Jig",
          "traditional", RYAN, 112, play=((0, 8), (0, 17), (9, 17), (0, 8), (0, 17), (9, 17)),
          kind="jig"),
    Piece("drop-of-whiskey-slipjig", "ryansMammoth/DropOfWhiskeySlipjig.abc",
          "A Drop of Whiskey (slip jig)", "traditional", RYAN, 120, play=((0, 15), (0, 15)),
          kind="slip jig"),
    Piece("off-she-goes-jig", "ryansMammoth/OffSheGoesJig.abc", "Off She Goes (jig)",
          "traditional", RYAN, 116, play=((0, 3), (0, 7), (4, 7), (0, 3), (0, 7), (4, 7)),
          kind="jig"),
    # ---- 2/2
    Piece("beethoven-op59-3-finale", "beethoven/opus59no3/movement4.mxl",
          "String Quartet Op. 59 No. 3: Allegro molto", "Ludwig van Beethoven", "published 1808",
          84, play=((1, 48),), kind="allegro"),
    Piece("hail-to-the-chief", "miscFolk/americanfifeopus.abc", "Hail to the Chief",
          "James Sanderson", FIFE, 60, number=12, play=((0, 23),), kind="march"),
    Piece("acrobats-hornpipe", "ryansMammoth/AcrobatsHornpipe.abc", "Acrobat's Hornpipe",
          "traditional", RYAN, 84, play=((0, 8), (0, 17), (9, 17)), kind="hornpipe"),
    Piece("alhambra-reel", "ryansMammoth/AlhambraReel.abc", "The Alhambra Reel", "traditional",
          RYAN, 108, play=((0, 15), (0, 15), (0, 15)), kind="reel"),
    # ---- meter changes
    Piece("schumann-op41-1-introduction", "schumann_robert/opus41no1/movement1.mxl",
          "String Quartet Op. 41 No. 1: Introduzione (2/4) into Allegro (6/8)", "Robert Schumann",
          "published 1843", 56, play=((26, 60),), bpm_changes=((8, 100),),
          drop_parts=(2,),  # the viola's encoding has mis-scaled tuplets (quarters of 16/17)
          kind="introduction and allegro"),
    Piece("roys-wife-strathspey", "ryansMammoth/RoysWifeStrathspey.abc",
          "Roy's Wife of Aldivalloch (strathspey, one 2/4 bar)", "traditional", RYAN, 126,
          play=((0, 16), (0, 16)), kind="strathspey"),
    Piece("fox-chase", "oneills1850/1801-1850.abc", "The Fox Chase (4/4 into 3/4)",
          "traditional", "Francis O'Neill, The Music of Ireland (Chicago, 1903)", 100, number=1850,
          play=((43, 67),), kind="set dance"),
)


def assign_styles(pieces: tuple[Piece, ...], seed: int) -> dict[str, tuple[str, str]]:
    """(family, curve) per piece id: every family and curve equally often, in a seeded order."""
    rng = np.random.default_rng(seed)
    curve_order = rng.permutation(len(pieces))
    family_order = rng.permutation(len(pieces))
    curves = {pieces[j].id: CURVE_KINDS[i % len(CURVE_KINDS)] for i, j in enumerate(curve_order)}
    families = {pieces[j].id: FAMILIES[i % len(FAMILIES)] for i, j in enumerate(family_order)}
    return {piece.id: (families[piece.id], curves[piece.id]) for piece in pieces}


def render_all(pieces: tuple[Piece, ...], out_dir: Path, seed: int) -> list[dict]:
    """Render every piece into ``out_dir``; returns the index entries."""
    styles = assign_styles(PIECES, seed)
    entries = []
    for number, piece in enumerate(pieces, 1):
        started = time.perf_counter()
        family, curve_kind = styles[piece.id]
        excerpt = excerpts.load_excerpt(piece)
        rng = rendering.piece_rng(seed, piece.id)
        curve = rendering.draw_curve(curve_kind, excerpt, rng)
        lead_in_s = round(float(rng.uniform(0.3, 1.5)), 3)
        done = rendering.render_piece(excerpt, out_dir, family=family, curve=curve, rng=rng,
                                      lead_in_s=lead_in_s)
        entries.append(_index_entry(done))
        truth = done.truth
        print(f"[{number:2}/{len(pieces)}] {piece.id:34} {'+'.join(truth['meters']):9} "
              f"{family:9} {curve_kind:11} {truth['duration']:5.1f} s "
              f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return entries


def _index_entry(done: rendering.Rendered) -> dict:
    truth = done.truth
    return {
        "id": truth["id"],
        "title": truth["title"],
        "composer": truth["composer"],
        "kind": truth["kind"],
        "corpus_path": truth["corpus_path"],
        "number": truth["number"],
        "meter": truth["meter"],
        "meters": truth["meters"],
        "pickup": truth["pickup"],
        "family": truth["instruments"]["family"],
        "programs": [track["program"] for track in truth["instruments"]["tracks"]],
        "curve": truth["tempo"]["curve"],
        "written_bpm": truth["tempo"]["written_bpm"],
        "duration": truth["duration"],
        "beats": len(truth["beats"]),
        "bars": len(truth["bars"]),
        "audio": done.audio_path.name,
        "midi": done.midi_path.name,
        "truth": done.truth_path.name,
    }


def check_all(data_dir: Path) -> dict:
    """Listening-free checks of every piece in ``data_dir``.

    Per piece: note-ons on the truth's beats, read back from the MIDI by mido
    (``truth_checks.check_onsets``); the bar layout against music21's own beat of every note
    (``truth_checks.check_layout``); when the audio starts after the first note-on
    (``truth_checks.audio_start_ms``) and how far librosa's onset strength lags the note-ons
    (``truth_checks.audio_lag_ms``: instrument attacks, a few tens of ms).
    """
    index = _read_index(data_dir)
    known = {piece.id: piece for piece in PIECES}
    results = []
    for entry in index["pieces"]:
        truth = json.loads((data_dir / entry["truth"]).read_text(encoding="utf-8"))
        result = truth_checks.check_onsets(truth, data_dir / entry["midi"])
        if entry["id"] in known:
            layout = truth_checks.check_layout(excerpts.load_excerpt(known[entry["id"]]))
            result["notes_on_music21_beat"] = layout["notes_agree"]
            result["music21_disagrees_in"] = layout["disagree_in"]
        result["audio_start_ms"] = truth_checks.audio_start_ms(truth, data_dir / entry["audio"])
        result["audio_lag_ms"] = truth_checks.audio_lag_ms(truth, data_dir / entry["audio"],
                                                        data_dir / entry["midi"])
        results.append(result)
        print(f"{entry['id']:34} note-on on {result['beats_with_onset']:.0%} of beats, "
              f"{result['downbeats_with_onset']:.0%} of downbeats; note-ons by beat "
              f"{result['onsets_by_beat']}; music21 agrees on "
              f"{result.get('notes_on_music21_beat', float('nan')):.1%} of notes; sound starts "
              f"{result['audio_start_ms']} ms, onset lag {result['audio_lag_ms']} ms",
              file=sys.stderr)
    return {"data": str(data_dir), "pieces": results}


def _read_index(data_dir: Path) -> dict:
    path = data_dir / "index.json"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run `python benchmarks/dataset.py --out {data_dir}`")
    return json.loads(path.read_text(encoding="utf-8"))


def _select(only: str | None) -> tuple[Piece, ...]:
    if not only:
        return PIECES
    wanted = [name.strip() for name in only.split(",") if name.strip()]
    known = {piece.id: piece for piece in PIECES}
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise SystemExit(f"--only: unknown piece(s) {', '.join(unknown)} "
                         f"(known: {', '.join(known)})")
    return tuple(known[name] for name in wanted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="example: python benchmarks/dataset.py --seed 0")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write")
    parser.add_argument("--seed", type=int, default=0, help="decides instruments and tempo curves")
    parser.add_argument("--only", help="comma-separated piece ids (default: all)")
    parser.add_argument("--list", action="store_true", help="print the piece list and stop")
    parser.add_argument("--check", type=Path, metavar="DIR",
                        help="check an existing set instead of rendering one")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", module="music21")
    if args.list:
        for piece in PIECES:
            number = f"#{piece.number}" if piece.number is not None else ""
            print(f"{piece.id:34} {piece.corpus_path}{number}  {piece.title}")
        return 0
    if args.check:
        json.dump(check_all(args.check), sys.stdout, indent=1)
        print()
        return 0
    started = time.perf_counter()
    pieces = _select(args.only)
    try:
        entries = render_all(pieces, args.out, args.seed)
    except (excerpts.ScoreError, rendering.RenderError) as err:
        print(f"dataset.py: {err}", file=sys.stderr)
        return 1
    index = {
        "schema": INDEX_SCHEMA,
        "seed": args.seed,
        "soundfont": rendering.SOUNDFONT.name,
        "sample_rate": rendering.SAMPLE_RATE,
        "pieces": entries,
    }
    rendering.write_json(args.out / "index.json", index)
    total_s = sum(entry["duration"] for entry in entries)
    print(f"{len(entries)} pieces, {total_s / 60:.1f} min of audio in {args.out} "
          f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
