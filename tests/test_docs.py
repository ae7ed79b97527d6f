"""Every command and option of the CLI is documented in docs/cli.md; the README's promises hold."""

import re
from pathlib import Path

import typer.main

from pointe.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _commands(group=None, prefix=""):
    group = group or typer.main.get_command(app)
    found = {}
    for name, command in group.commands.items():
        found[prefix + name] = command
        if hasattr(command, "commands"):
            found.update(_commands(command, prefix + name + " "))
    return found


def test_every_command_and_option_is_in_docs_cli():
    text = (ROOT / "docs" / "cli.md").read_text()
    for name, command in _commands().items():
        assert f"`pointe {name}" in text, f"docs/cli.md does not document `pointe {name}`"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("-") and opt not in ("-h", "--help"):
                    assert f"`{opt}" in text, f"docs/cli.md does not document {opt} of {name}"


def test_readme_has_exactly_the_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```\n(.*?)```", readme.split("## Set-up")[1].split("## ")[0], re.S)
    assert [b.strip() for b in blocks] == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_glossary_names_exist_in_code():
    from pointe.music import model

    text = (ROOT / "docs" / "glossary.md").read_text()
    for name in ("Beat", "Bar", "Count", "Phrase", "Section", "TempoPoint", "MusicMap"):
        assert hasattr(model, name)
    for field in ("beat_in_bar", "count_unit", "phrase_length", "count_time"):
        assert field in text
