"""The README documents every command and option, and its Quick start is what CI runs."""
from __future__ import annotations

import re

from beslut.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_in_the_readme():
    for name, command in main.commands.items():
        assert f"beslut {name}" in README, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in README, f"beslut {name} {opt}"


def test_quick_start_has_two_commands_install_build_and_test():
    block = re.search(r"## Quick start\n.*?```\n(.*?)```", README, flags=re.S)
    assert block, "Quick start code block"
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "pip install" in commands[0] and "beslut build" in commands[0]
    assert "[test]" in commands[1] and "pytest" in commands[1]


def test_every_exit_code_is_documented():
    from beslut import errors
    for code in (0, errors.EXIT_INVALID, errors.EXIT_USAGE, errors.EXIT_TEMPLATE, errors.EXIT_OUTPUT, errors.EXIT_INTERNAL):
        assert re.search(rf"^\| {code} \|", README, flags=re.M), code
