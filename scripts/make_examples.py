"""Write examples/: one ballet composed on the demo music per style, with its count sheet.

    python scripts/make_examples.py

Each example folder holds the brief it was composed from, the ballet (YAML) and its count
sheet; examples/music.json is the demo music's MusicMap they share. Same code, same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from pointe.choreography import save
from pointe.cli import demo_music
from pointe.compose import compose
from pointe.compose.brief import from_dict
from pointe.fileio import write_text
from pointe.music.analyze import analyze
from pointe.score import ballet as sheet
from pointe.score.countsheet import render_json
from pointe.vocabulary.library import load

ROOT = Path(__file__).resolve().parents[1]
BRIEFS = {
    "classical": {"title": "Menuet for Three", "style": "classical", "level": "advanced",
                  "themes": ["joy", "celebration"],
                  "cast": [{"name": "Ana", "role": "soloist"}, {"name": "Bea", "role": "corps"},
                           {"name": "Cleo", "role": "corps"}]},
    "neoclassical": {"title": "Letters", "style": "neoclassical", "level": "advanced",
                     "themes": ["longing", "memory"],
                     "cast": [{"name": "Ana", "role": "soloist"},
                              {"name": "Bea", "role": "soloist"}]},
    "contemporary": {"title": "Love, Loss and Self-Discovery", "style": "contemporary",
                     "level": "principal", "themes": ["love", "loss", "self-discovery"],
                     "cast": [{"name": "Ana", "role": "soloist"}]},
}


def main() -> None:
    out = ROOT / "examples"
    out.mkdir(exist_ok=True)
    music = demo_music()
    music_map = analyze(music)
    write_text(out / "music.json", render_json(music_map))
    library = load()
    for style, data in BRIEFS.items():
        folder = out / style
        folder.mkdir(exist_ok=True)
        write_text(folder / "brief.yaml", yaml.safe_dump(data, sort_keys=False,
                                                           allow_unicode=True))
        ballet = compose(music_map, from_dict(data), library, seed=1,
                         music_file=os.path.relpath(music, folder), map_file="../music.json")
        save(ballet, folder / "ballet.yaml")
        write_text(folder / "counts.txt", sheet.render(ballet, music_map))


if __name__ == "__main__":
    main()
