"""The music stage: decode a piece and count it the way dancers count.

``analyze(path) -> MusicMap`` is the entry point; ``load`` checks a file and says what kind
it is; ``synth`` renders made inputs (click tracks, note lists) whose truth is known.
"""

from pointe.music.analyze import analyze
from pointe.music.decoding import probe as load
from pointe.music.model import MusicMap

__all__ = ["MusicMap", "analyze", "load"]
