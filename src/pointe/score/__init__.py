"""Scores: what a choreographer and her dancers read, printed or pinned on the studio wall.

- ``pointe.score.countsheet``: the plain-text count sheet of a ``MusicMap`` (one row per phrase)
  and its JSON form.
- ``pointe.score.wall``: the studio-wall picture of the music (PNG, and a self-contained HTML page
  with the phrase table beneath it).

Nothing heavy is imported here; matplotlib is loaded only when a picture is drawn.
"""
