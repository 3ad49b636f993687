"""click's own messages in Swedish: usage errors, --help headings, prompts.

click marks every user-facing text for gettext (``_("Missing argument")``) but ships no
translations, and a gettext catalogue would have to be installed process-wide. Instead
``install()`` gives click's modules a ``_`` and an ``ngettext`` that look the English text up
here; a text not listed stays English. ``tests/test_cli_messages.py`` checks that every text
listed here is still one click uses, so a click upgrade that rewords a message is noticed.
"""
from __future__ import annotations

import importlib

#: click's English text → Swedish, with the same {placeholders}.
MESSAGES: dict[str, str] = {
    "Aborted!": "Avbrutet.",
    "Missing command.": "Kommando saknas.",
    "Options": "Flaggor",
    "Positional arguments": "Argument",
    "Commands": "Kommandon",
    "Usage:": "Användning:",
    "env var: {var}": "miljövariabel: {var}",
    "default: {default}": "standard: {default}",
    "required": "krävs",
    "(dynamic)": "(dynamiskt)",
    "deprecated": "föråldrat",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    "Missing argument": "Saknar argument",
    "Missing option": "Saknar flagga",
    "Missing parameter": "Saknar parameter",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "Missing {param_type}": "Saknar {param_type}",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "Could not open file {filename!r}: {message}": "Kan inte öppna filen {filename!r}: {message}",
    "unknown error": "okänt fel",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Value must be an iterable.": "Värdet ska vara en lista.",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "{value} is not in the range {range}.": "{value} ligger inte i intervallet {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} är inget sanningsvärde. Giltiga värden: {states}",
    "{value!r} is not a valid {number_type}.": "{value!r} är inget giltigt {number_type}.",
    "{value!r} is not a valid UUID.": "{value!r} är inget giltigt UUID.",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva till.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: de två värdena är olika.",
    "Error: invalid input": "Fel: ogiltig inmatning",
    "Press any key to continue...": "Tryck på en tangent för att fortsätta …",
}

#: Texts with a singular and a plural: (singular, plural) → (Swedish singular, Swedish plural).
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Oväntat extra argument ({args})", "Oväntade extra argument ({args})"),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Menade du {possibility}?", "(Menade du någon av: {possibilities}?)"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Flaggan {name!r} kräver ett värde.", "Flaggan {name!r} kräver {nargs} värden."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} är inte {choice}.", "{value!r} är inte något av {choices}."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Tar {nargs} värden men 1 gavs.", "Tar {nargs} värden men {len} gavs."),
}

#: What stands for a command's options and subcommands in "Användning:" lines.
OPTIONS_METAVAR = "[FLAGGOR]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENT]..."

#: click's modules that show text to a user.
MODULES = ("core", "exceptions", "types", "parser", "decorators", "formatting", "termui", "utils")


def gettext(message: str) -> str:
    """The Swedish for one of click's texts (the text itself when there is none)."""
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The Swedish singular or plural for one of click's texts."""
    swedish = PLURALS.get((singular, plural), (singular, plural))
    return swedish[0] if n == 1 else swedish[1]


def install() -> None:
    """Make click speak Swedish in this process (before commands are declared: some help texts are made then)."""
    import click.types

    # the names of number types appear in messages ("'x' är inget giltigt heltal") and metavars (HELTAL)
    click.types.IntParamType.name = "heltal"
    click.types.FloatParamType.name = "decimaltal"
    click.types.IntRange.name = "heltal"
    click.types.FloatRange.name = "decimaltal"
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
