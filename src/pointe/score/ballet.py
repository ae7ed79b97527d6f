"""The count sheet of a ballet: every phrase with its time in the music and its moves.

One block per section, one row per phrase: the phrase id ("2.1": section 2, phrase 1), when it
starts in the music, its counts and how it was made, then each line of dancers in the line form
dancers write (``1 glissade R | 2-3 grand jeté effacé``). Plain text, as wide as it needs.
"""

from __future__ import annotations

from pointe.choreography.lines import format_line
from pointe.choreography.model import Choreography
from pointe.music.model import MusicMap
from pointe.score.countsheet import clock, counting_words, tempo_words


def render(choreography: Choreography, music_map: MusicMap) -> str:
    c = choreography
    starts = {p.number: p.start_s for p in music_map.phrases}
    lines = [c.title, "=" * len(c.title),
             f"Music: {music_map.source.name} ({clock(music_map.duration_s)}), "
             f"{music_map.meter}, {tempo_words(music_map)}; {counting_words(music_map)}",
             f"Style: {c.style}. Cast: " + ", ".join(f"{d.name} ({d.role})" for d in c.cast)
             + ".", ""]
    intro = next((p for p in music_map.phrases if p.number == 0), None)
    if intro is not None and intro.end_s > intro.start_s:
        lines += [f"Introduction 0:00-{clock(intro.end_s)}: the dancers wait in their places "
                  "(5, 6, 7, 8).", ""]
    width = max((len(pid) for pid in c.phrase_ids()), default=3)
    for s, section in enumerate(c.sections):
        lines.append(f"Section {s + 1}: {section.label}" + (f" - {section.why}" if section.why
                                                             else ""))
        for p, phrase in enumerate(section.phrases):
            pid = f"{s + 1}.{p + 1}"
            head = f"  {pid.ljust(width)}  {clock(starts.get(phrase.music, 0.0))}  " \
                   f"{phrase.counts} counts"
            lines.append(head + (f"  ({phrase.device})" if phrase.device else ""))
            for line in phrase.lines:
                who = ", ".join(line.dancers) if line.dancers else "all"
                lines.append(f"      {who}: {format_line(line.moves)}")
        lines.append("")
    return "\n".join(lines)


def explain(choreography: Choreography) -> str:
    """Why each phrase is what it is: music, themes and device, as the composer recorded them."""
    out = [choreography.title, ""]
    for s, section in enumerate(choreography.sections):
        out.append(f"Section {s + 1} ({section.label}): {section.why or 'as written'}")
        for p, phrase in enumerate(section.phrases):
            out.append(f"  {s + 1}.{p + 1} {phrase.device or 'written by hand'}")
            for reason in (phrase.why or "no reasons recorded (written by hand)").split("; "):
                out.append(f"      - {reason}")
        out.append("")
    return "\n".join(out)
