"""pointe: a choreographer's studio.

pointe counts music the way dancers count it and, stage by stage, turns it into a ballet:
``music.analyze`` → ``MusicMap`` → (compose) → (perform) → exports, scores and rehearsal plans.
"""

__version__ = "0.1.0"
