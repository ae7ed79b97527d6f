import pytest

from pointe.vocabulary.library import load


@pytest.fixture(scope="session")
def library():
    """The bundled step vocabulary, loaded once."""
    return load()
