"""The composer: ``compose(music_map, brief, library, seed=) -> Choreography``."""

from pointe.compose.brief import Brief
from pointe.compose.composer import compose

__all__ = ["Brief", "compose"]
