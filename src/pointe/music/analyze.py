"""``analyze(path) -> MusicMap``: the music stage's entry point.

Audio is decoded as a stream, turned into frame features, beat-tracked, grouped into bars and
counted; a score (MIDI, MusicXML) gives its beats and bars exactly and is counted the same way.
The user's corrections (meter, tempo, first downbeat, count unit, phrase length) re-interpret the
same features: with a feature cache they cost no new decoding.

Conventions are those of ``pointe.music.model``; times in seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pointe.errors import MusicError, UsageError
from pointe.music import beatnet, counting, dbn, decoding, sections, symbolic, tracking
from pointe.music import features as feats
from pointe.music import meter as metre
from pointe.music.model import (
    COUNT_UNITS,
    Analysis,
    Bar,
    Beat,
    Character,
    Count,
    Envelope,
    MusicMap,
    Phrase,
    Section,
    Source,
    TempoPoint,
)
from pointe.music.tracking import TRACKER, doubled, novelty, track

NETWORK_TRACKER = "pointe-beatnet/2"
TRACKERS = ("network", "tempogram")  # the beat network (default) or the tempogram + DP

FEATURES_VERSION = "2"
SILENCE_DB = -60.0
ENVELOPE_HZ = 10.0
HEMIOLA_MARGIN = 0.2

Progress = Callable[[str], None]


def analyze(
    path: str | Path,
    *,
    meter: str | None = None,
    bpm: float | None = None,
    first_downbeat_s: float | None = None,
    count_unit: str | None = None,
    phrase_length: int | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    tracker: str = "network",
) -> MusicMap:
    """Count a piece of music the way dancers count it.

    ``meter`` ("3/4", "6/8" …), ``bpm`` (felt beats per minute), ``first_downbeat_s`` (the time
    of the first "1"), ``count_unit`` ("beat", "half-bar", "bar") and ``phrase_length`` (counts
    per phrase) correct what the analysis would decide. ``cache_dir`` keeps decoded features so
    corrections need no second decoding. ``progress`` is called with the name of each step.
    ``tracker`` hears audio beats with pointe's beat network ("network", the default; see
    docs/tracker.md) or with the older tempogram and dynamic programming ("tempogram").
    """
    say = progress or (lambda _step: None)
    forced = _check_corrections(meter, bpm, first_downbeat_s, count_unit, phrase_length)
    if tracker not in TRACKERS:
        raise UsageError(f"--tracker: expected one of {', '.join(TRACKERS)} (not {tracker!r})")
    music = decoding.probe(path)
    corrections = {
        key: value
        for key, value in (("meter", meter), ("bpm", bpm), ("first_downbeat", first_downbeat_s),
                           ("count_unit", count_unit), ("phrase_length", phrase_length))
        if value is not None
    }
    if music.kind == "audio":
        say("decoding")
        features = _audio_features(music, cache_dir, say)
        say("tracking beats")
        hear = _network_grid if tracker == "network" else _audio_grid
        heard = hear(music, features, bpm=bpm, forced=forced, first_downbeat_s=first_downbeat_s)
        grid, notes = heard.grid, heard.notes
        beat_strength, beat_conf = heard.beat_strength, heard.beat_confidence
        tracked_conf, meter_conf = heard.confidence, heard.meter_confidence
        method, tracker = "audio", NETWORK_TRACKER if tracker == "network" else TRACKER
    else:
        if bpm is not None:
            raise UsageError(f"--bpm: {music.path} is a score whose tempo marks give the beats "
                             "exactly (change the tempo in the score instead)")
        say("reading score")
        score = symbolic.read(music)
        features = feats.from_notes(score.note_on_s, score.note_off_s, score.pitch,
                                    score.velocity, score.duration_s)
        grid, notes = _score_grid(score, forced=forced, first_downbeat_s=first_downbeat_s,
                                  path=music.path)
        curve = novelty(features)
        beat_strength = tracking.beat_strength(curve, features.frame_of(grid.beat_times_s))
        beat_conf = np.ones(len(grid.beat_times_s))
        tracked_conf, meter_conf = 1.0, 1.0
        method, tracker = "symbolic", "score"
    say("counting")
    return _counted_map(music, features, grid, method=method, tracker=tracker,
                        confidence=tracked_conf, meter_confidence=meter_conf, notes=notes,
                        beat_strength=beat_strength, beat_confidence=beat_conf,
                        count_unit=count_unit, phrase_length=phrase_length,
                        corrections=corrections)


# ------------------------------------------------------------------------------- corrections


def _check_corrections(meter, bpm, first_downbeat_s, count_unit, phrase_length):
    forced = None
    if meter is not None:
        try:
            forced = metre.parse_meter(meter)
        except ValueError as err:
            raise UsageError(f"--meter: {err}") from None
    if bpm is not None and not 20.0 <= float(bpm) <= 320.0:
        raise UsageError(f"--bpm {bpm}: give the felt beats per minute, between 20 and 320")
    if first_downbeat_s is not None and first_downbeat_s < 0:
        raise UsageError(f"--first-downbeat {first_downbeat_s}: a time in seconds, 0 or more")
    if count_unit is not None and count_unit not in COUNT_UNITS:
        raise UsageError(f"--count-unit: expected one of {', '.join(COUNT_UNITS)} "
                         f"(not {count_unit!r})")
    if phrase_length is not None and not 2 <= int(phrase_length) <= 32:
        raise UsageError(f"--phrase-length {phrase_length}: a phrase has 2 to 32 counts "
                         "(usually 8)")
    return forced


# ------------------------------------------------------------------------------------ audio


def _audio_features(music: decoding.MusicFile, cache_dir: Path | None, say: Progress):
    duration = decoding.audio_duration_s(music)
    if duration > decoding.MAX_DURATION_S:
        raise MusicError(music.path, f"the recording lasts {duration / 3600:.1f} hours; pointe "
                         f"counts up to {decoding.MAX_DURATION_S / 3600:.0f} hours",
                         "cut it into acts or numbers and count each")
    cached = _cache_path(cache_dir, music.sha256)
    if cached is not None and cached.exists():
        with np.load(cached) as data:
            features = feats.Features.from_npz(data)
    else:
        features = feats.extract(decoding.stream(music))
        if cached is not None:
            _write_cache(cached, features)
    if features.duration_s < decoding.MIN_DURATION_S:
        raise MusicError(music.path, f"only {features.duration_s:.1f} s of audio; pointe needs "
                         f"at least {decoding.MIN_DURATION_S:.0f} s to find bars and phrases",
                         "give a longer excerpt")
    if not len(features.rms_db) or float(np.max(features.rms_db)) < SILENCE_DB:
        raise MusicError(music.path, "the audio is silent (no sound above -60 dBFS)",
                         "check the file plays, or that the right file was given")
    return features


def _cache_path(cache_dir: Path | None, sha256: str) -> Path | None:
    if cache_dir is None:
        return None
    return Path(cache_dir) / f"features-{FEATURES_VERSION}-{sha256[:32]}.npz"


def _write_cache(path: Path, features: feats.Features) -> None:
    import io

    from pointe.fileio import write_bytes

    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **features.to_npz())
    write_bytes(path, buffer.getvalue())


@dataclass(frozen=True)
class _Heard:
    """What the audio path found: bars over beats, and how sure it is."""

    grid: counting.Grid
    confidence: float
    meter_confidence: float
    notes: tuple[str, ...]
    beat_strength: np.ndarray
    beat_confidence: np.ndarray


def _network_grid(music, features, *, bpm, forced, first_downbeat_s) -> _Heard:
    """Beats and bars from the beat network's activations (``beatnet``, decoded by ``dbn``)."""
    if features.logmel is None:
        raise MusicError(music.path, "its features were computed without the spectrum the beat "
                         "network reads", "delete the feature cache and count it again")
    activations = beatnet.activations(features.logmel)
    beats = dbn.track(activations, features.fps, bpm_hint=bpm)
    if len(beats.times_s) < 6:
        raise MusicError(music.path, "no steady pulse could be found",
                         "give the tempo with --bpm (felt beats per minute)")
    beat_times = beats.times_s
    beat_bpm = 60.0 / float(np.median(np.diff(beat_times)))
    first_index = _first_index(beat_times, first_downbeat_s, features.duration_s, music.path)
    probability = dbn.downbeat_probability(activations, beat_times, features.fps)
    groupings = (forced[0],) if forced is not None else dbn.GROUPINGS
    places = dbn.place_in_bars(probability, groupings=groupings,
                               first_downbeat_index=first_index)
    subdivision = forced[1] if forced is not None else \
        dbn.subdivision(activations, beat_times, features.fps)[0]
    grid = _grid_from_positions(beat_times, places.positions, places.groupings, subdivision,
                                beat_bpm, first_index=first_index)
    tempo = 60.0 / beats.periods_s
    notes = (f"beat network, tempo path {tempo.min():.0f}-{tempo.max():.0f} bpm",
             f"subdivision {'compound' if subdivision == 3 else 'simple'}")
    strength = np.clip(beats.activation, 0.0, 1.0)
    return _Heard(grid, float(np.mean(strength)), places.confidence, notes, strength,
                  strength.copy())


def _audio_grid(music, features, *, bpm, forced, first_downbeat_s) -> _Heard:
    tracked = track(features, bpm_hint=bpm)
    if len(tracked.times_s) < 6:
        raise MusicError(music.path, "no steady pulse could be found",
                         "give the tempo with --bpm (felt beats per minute)")
    beat_times = tracked.times_s
    curve = novelty(features)
    strength, confidence = tracked.strength, tracked.confidence
    if bpm is None and forced is None:
        undone = _undo_hemiola(features, beat_times, curve)
        if len(undone) != len(beat_times):
            beat_times = undone
            strength = tracking.beat_strength(curve, features.frame_of(beat_times))
            confidence = np.sqrt(strength)
    beat_bpm = 60.0 / float(np.median(np.diff(beat_times)))
    first_index = _first_index(beat_times, first_downbeat_s, features.duration_s, music.path)
    decoded = metre.decode(features, beat_times, curve, beat_bpm=beat_bpm, forced=forced,
                           first_downbeat_index=first_index)
    grid = _grid_from_positions(beat_times, decoded.positions, decoded.groupings,
                                decoded.subdivision, beat_bpm, first_index=first_index)
    notes = (f"tempo path {tracked.tempo_bpm.min():.0f}-{tracked.tempo_bpm.max():.0f} bpm",
             f"subdivision {'compound' if decoded.subdivision == 3 else 'simple'}")
    return _Heard(grid, tracked.overall_confidence, decoded.confidence, notes, strength,
                  confidence)


def _undo_hemiola(features, beat_times: np.ndarray, curve: np.ndarray) -> np.ndarray:
    """Take the doubled beats when they group clearly in threes.

    Tapping every other beat of a quick waltz crosses its bars (two taps to three beats); the
    doubled beats then show a clear triple grouping. Continuous eighths under a slower pulse
    also double, but group in twos, and are left alone.
    """
    candidate = doubled(beat_times, curve, features.fps)
    if candidate is None:
        return beat_times
    scores = metre.grouping_scores(features, candidate, curve)
    if scores[3] > HEMIOLA_MARGIN + max(scores[2], scores[4]):
        return candidate
    return beat_times


def _first_index(beat_times, first_downbeat_s, duration_s, path) -> int | None:
    if first_downbeat_s is None:
        return None
    if first_downbeat_s > duration_s:
        raise UsageError(f"--first-downbeat {first_downbeat_s}: {path} lasts only "
                         f"{duration_s:.1f} s")
    return int(np.argmin(np.abs(beat_times - first_downbeat_s)))


def _grid_from_positions(beat_times, positions, groupings, subdivision, beat_bpm, *,
                         first_index=None) -> counting.Grid:
    """Bars from per-beat bar positions: a bar starts at every position 1."""
    positions = np.asarray(positions).copy()
    starts = np.nonzero(positions == 1)[0]
    if first_index is not None:
        starts = starts[starts >= first_index]
    if len(starts) == 0:
        starts = np.array([0])
    bar_of_beat = np.zeros(len(beat_times), dtype=int)
    bar_numbers, bar_starts, bar_beats, bar_meters = [], [], [], []
    if starts[0] > 0:  # a pickup before the first downbeat
        bar_numbers.append(0)
        bar_starts.append(float(beat_times[0]))
        bar_beats.append(int(starts[0]))
        g0 = int(groupings[starts[0]])
        bar_meters.append(metre.meter_name(g0, subdivision, beat_bpm=beat_bpm))
        positions[:starts[0]] = np.arange(g0 - starts[0] + 1, g0 + 1)[-starts[0]:] if \
            starts[0] <= g0 else np.arange(1, starts[0] + 1)
    bounds = [*starts, len(beat_times)]
    for number, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True), start=1):
        bar_of_beat[a:b] = number
        positions[a:b] = np.arange(1, b - a + 1)
        bar_numbers.append(number)
        bar_starts.append(float(beat_times[a]))
        bar_beats.append(int(b - a))
        bar_meters.append(metre.meter_name(int(groupings[a]), subdivision, beat_bpm=beat_bpm))
    return counting.Grid(np.asarray(beat_times, float), positions, bar_of_beat,
                         np.array(bar_numbers), np.array(bar_starts), np.array(bar_beats),
                         tuple(bar_meters))


# ---------------------------------------------------------------------------------- symbolic


def _score_grid(score: symbolic.Score, *, forced, first_downbeat_s, path):
    if forced is None and first_downbeat_s is None:
        grid = counting.Grid(score.beat_times_s, score.beat_in_bar, score.beat_bar,
                             score.bar_numbers, score.bar_starts_s, score.bar_beats,
                             score.bar_meters)
        return grid, ("beats and bars from the score's tempo map and time signatures",)
    beat_times = score.beat_times_s
    beat_bpm = 60.0 / float(np.median(np.diff(beat_times))) if len(beat_times) > 1 else 120.0
    grouping, subdivision = forced if forced is not None else (int(score.bar_beats.max()), 2)
    first = _first_index(beat_times, first_downbeat_s, score.duration_s, path) or 0
    positions = (np.arange(len(beat_times)) - first) % grouping + 1
    groupings = np.full(len(beat_times), grouping)
    grid = _grid_from_positions(beat_times, positions, groupings, subdivision, beat_bpm,
                                first_index=first)
    return grid, ("score beats regrouped by the user's corrections",)


# ---------------------------------------------------------------------------------- counting


def _counted_map(music, features, grid, *, method, tracker, confidence, meter_confidence, notes,
                 beat_strength, beat_confidence, count_unit, phrase_length, corrections):
    beat_times = grid.beat_times_s
    beat_bpm = 60.0 / float(np.median(np.diff(beat_times))) if len(beat_times) > 1 else 120.0
    full_bars = grid.bar_beats[grid.bar_numbers > 0]
    beats_per_bar = int(np.bincount(full_bars).argmax()) if len(full_bars) else 4
    unit = count_unit or counting.choose_count_unit(beat_bpm, beats_per_bar)
    per_bar = counting.counts_per_bar(unit, beats_per_bar)
    if phrase_length is not None:
        counting.check_phrase_length(int(phrase_length), per_bar, unit)
        length = int(phrase_length)
    else:
        length = counting.default_phrase_length(per_bar)
    counted = counting.count(grid, features, unit=unit, phrase_length=length, per_bar=per_bar,
                             fixed_length=phrase_length is not None,
                             allow_intro=method == "audio")
    main_meter = _main_meter(grid)
    curve = novelty(features)
    energy, accent = _count_energy(features, curve, counted.times_s)

    beats = tuple(
        Beat(float(t), int(b), int(p), float(s), float(c))
        for t, b, p, s, c in zip(beat_times, grid.beat_bar, grid.beat_in_bar, beat_strength,
                                 beat_confidence, strict=True)
    )
    bars = tuple(
        Bar(int(n), float(s), m, int(k), bool(n == 0))
        for n, s, m, k in zip(grid.bar_numbers, grid.bar_starts_s, grid.bar_meters,
                              grid.bar_beats, strict=True)
    )
    counts = tuple(
        Count(float(t), int(ph), int(nu), int(b), float(e), float(a))
        for t, ph, nu, b, e, a in zip(counted.times_s, counted.phrase, counted.number,
                                      counted.bars, energy, accent, strict=True)
    )
    phrases = _phrases(counted, features.duration_s)
    spans = _sections(features, phrases, main_meter, beat_bpm)
    labelled = tuple(
        Phrase(p.number, p.start_s, p.end_s, p.first_count, p.length_counts, p.first_bar,
               p.last_bar, _section_of(p.number, spans))
        for p in phrases
    )
    return MusicMap(
        source=Source(str(music.path), music.path.name, music.sha256, music.format),
        duration_s=float(features.duration_s),
        meter=main_meter,
        count_unit=unit,
        phrase_length=length,
        beats=beats,
        bars=bars,
        tempo=_tempo_points(beat_times),
        counts=counts,
        phrases=labelled,
        sections=spans,
        envelope=_envelope(features),
        analysis=Analysis(method=method, tracker=tracker, confidence=float(confidence),
                          meter_confidence=float(meter_confidence), corrections=corrections,
                          notes=tuple(notes)),
    )


def _main_meter(grid: counting.Grid) -> str:
    full = [m for m, n in zip(grid.bar_meters, grid.bar_numbers, strict=True) if n > 0]
    if not full:
        return grid.bar_meters[0] if grid.bar_meters else "4/4"
    values, counts_ = np.unique(full, return_counts=True)
    return str(values[int(np.argmax(counts_))])


def _count_energy(features, curve, times):
    frames = features.frame_of(times)
    edges = np.concatenate([frames, [features.frames]])
    power = 10.0 ** (features.rms_db / 10.0)
    level = np.array([10 * np.log10(power[a:max(b, a + 1)].mean() + 1e-12)
                      for a, b in zip(edges[:-1], edges[1:], strict=True)])
    lo, hi = np.percentile(features.rms_db, [5, 99])
    energy = np.clip((level - lo) / (hi - lo + 1e-9), 0, 1)
    hits = np.array([curve[max(0, f - 4):f + 5].max() for f in frames])
    accent = np.clip(hits / (np.percentile(hits, 95) + 1e-9), 0, 1)
    return energy, accent


def _phrases(counted: counting.Counted, duration_s: float) -> list[Phrase]:
    times = counted.times_s
    result = []
    bounds = []
    if counted.intro_counts:
        bounds.append((0, 0, counted.intro_counts))
    for k, (start, length) in enumerate(zip(counted.phrase_starts, counted.phrase_lengths,
                                            strict=True), start=1):
        bounds.append((k, start, start + length))
    for number, a, b in bounds:
        end_s = float(times[b]) if b < len(times) else float(duration_s)
        result.append(Phrase(int(number), float(times[a]), end_s, int(a), int(b - a),
                             int(counted.bars[a]), int(counted.bars[b - 1]), ""))
    return result


def _sections(features, phrases: list[Phrase], meter_text, beat_bpm) -> tuple[Section, ...]:
    main = [p for p in phrases if p.number > 0]
    intro = [p for p in phrases if p.number == 0]
    if not main:
        main, intro = phrases, []
    spans = sections.find(features, [(p.start_s, p.end_s) for p in main])
    piece_db = float(np.mean(features.rms_db))
    piece_hz = float(np.mean(features.centroid_hz[features.centroid_hz > 0])) if np.any(
        features.centroid_hz > 0) else 1.0
    onsets = sections.onset_times(features)
    piece_density = len(onsets) / max(features.duration_s, 1e-9)
    result = []

    def character(start_s: float, end_s: float) -> Character:
        a, b = features.frame_of(np.array([start_s, end_s]))
        b = max(b, a + 1)
        level = float(10 * np.log10(np.mean(10 ** (features.rms_db[a:b] / 10)) + 1e-12))
        centroid = features.centroid_hz[a:b]
        brightness = float(np.mean(centroid[centroid > 0])) if np.any(centroid > 0) else 0.0
        density = float(np.sum((onsets >= start_s) & (onsets < end_s)) / max(end_s - start_s,
                                                                             1e-9))
        words = sections.character_words(
            tempo_bpm=beat_bpm, loudness_db=level, brightness_hz=brightness,
            density_per_s=density, piece_loudness_db=piece_db, piece_brightness_hz=piece_hz,
            piece_density_per_s=piece_density)
        return Character(beat_bpm, level, brightness, density, words)

    if intro and intro[0].end_s - intro[0].start_s > 0:
        p = intro[0]
        result.append(Section("Intro", p.start_s, p.end_s, 0, 0, character(p.start_s, p.end_s)))
    for span in spans:
        first, last = main[span.first_phrase], main[span.last_phrase]
        result.append(Section(span.label, first.start_s, last.end_s, int(first.number),
                              int(last.number),
                              character(first.start_s, last.end_s)))
    return tuple(result)


def _section_of(number: int, spans: tuple[Section, ...]) -> str:
    for section in spans:
        if section.first_phrase <= number <= section.last_phrase:
            return section.label
    return spans[0].label if spans else "A"


def _tempo_points(beat_times: np.ndarray) -> tuple[TempoPoint, ...]:
    if len(beat_times) < 2:
        return ()
    ibi = np.diff(beat_times)
    smoothed = np.array([np.median(ibi[max(0, i - 1):i + 2]) for i in range(len(ibi))])
    return tuple(TempoPoint(float(t), float(60.0 / d)) for t, d in zip(beat_times[:-1], smoothed,
                                                                     strict=True))


def _envelope(features: feats.Features) -> Envelope:
    step = max(1, int(round(features.fps / ENVELOPE_HZ)))
    power = 10.0 ** (features.rms_db / 10.0)
    n = len(power) // step
    if n == 0:
        return Envelope(ENVELOPE_HZ, ())
    blocks = power[: n * step].reshape(n, step).mean(axis=1)
    db = np.maximum(10 * np.log10(blocks + 1e-12), -90.0)
    return Envelope(features.fps / step, tuple(float(v) for v in db))

