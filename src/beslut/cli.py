"""The ``beslut`` command: parse arguments, call the library, print, map errors to exit codes.

Exit codes: 0 ok; 1 invalid records or profile; 2 usage; 3 template or engine failure;
4 outputs could not be written; 70 an internal error (a bug: BESLUT_DEBUG=1 shows details).
Every library error carries its own code (``BeslutError.exit_code``); this module maps it once.
"""
from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import click

from . import __version__, click_sv
from . import init as init_lib
from .build import build as build_records
from .build import check as check_records
from .errors import EXIT_INTERNAL, EXIT_INVALID, BeslutError, UsageError
from .kinds import kind_names
from .profile import PROFILE_FILE
from .project import FORMATS, PDF_ENGINES, Options, Project, parse_formats
from .scaffold import new_record

click_sv.install()  # before the commands below are declared: click makes some help texts then


def _fail(exc: BeslutError) -> None:
    click.echo(str(exc), err=True)
    sys.exit(exc.exit_code)


def _project(profile: Path | None, paths: tuple[Path, ...], **options) -> Project:
    return Project.open(paths[0] if paths else None, profile=profile,
                        output=options.pop("output", None), options=Options(**options))


profile_option = click.option("--profile", "profile_path", type=click.Path(path_type=Path, dir_okay=False),
                              help=f"Organisationsprofil (standard: närmaste {PROFILE_FILE}).")


class _Command(click.Command):
    """A command whose usage line reads "beslut build [FLAGGOR] [SÖKVÄGAR]..."."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", click_sv.OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    """Commands whose unexpected failures are reported in one line, not as a traceback."""

    command_class = _Command
    group_class = type  # subgroups are _Group too

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", click_sv.OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", click_sv.SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug in beslut: say so plainly; BESLUT_DEBUG=1 shows the traceback
            if _broken_pool(exc):
                click.echo("en arbetsprocess avbröts oväntat (slut på minne?); försök igen med -j 1", err=True)
                sys.exit(EXIT_INTERNAL)
            if os.environ.get("BESLUT_DEBUG"):
                raise
            click.echo(f"internt fel i beslut: {type(exc).__name__}: {exc}. Kör igen med BESLUT_DEBUG=1 och "
                       "rapportera utskriften.", err=True)
            sys.exit(EXIT_INTERNAL)


def _broken_pool(exc: Exception) -> bool:
    """Whether a worker process died (killed, out of memory): only a build that started workers has
    imported concurrent.futures.process, so a command that did not never imports it here."""
    process = sys.modules.get("concurrent.futures.process")
    return process is not None and isinstance(exc, process.BrokenProcessPool)


@click.group(cls=_Group, name="beslut")
@click.version_option(__version__, prog_name="beslut")
def main() -> None:
    """beslut: beslutsposter i YAML blir tjänsteskrivelser, utlåtanden, uppdrag och sammanträdeshandlingar."""
    # pydantic looks for plugins among the installed packages' entry points when it makes the first
    # validator (a scan of every package's metadata, some 15 ms of a one-record check); beslut's
    # models need none. Set the variable yourself to have plugins loaded.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


@main.command()
@click.argument("paths", nargs=-1, metavar="[SÖKVÄGAR]...", type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Varningar (platshållare, personnummer) räknas som fel.")
@profile_option
def check(paths: tuple[Path, ...], strict: bool, profile_path: Path | None) -> None:
    """Kontrollera poster: schema och regler. Alla fel visas som fil:rad:kolumn: fält: meddelande."""
    try:
        result = check_records(_project(profile_path, paths), list(paths), records=False)
    except BeslutError as exc:
        _fail(exc)
        return
    for problem in result.problems:
        click.echo(problem.format(), err=True)
    errors = result.errors(strict)
    click.echo(result.summary(strict), err=bool(errors))
    sys.exit(EXIT_INVALID if errors else 0)


@main.command()
@click.argument("paths", nargs=-1, metavar="[SÖKVÄGAR]...", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True,
              help="Format att bygga, kommaseparerade: docx, pdf, html.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Utmapp (standard: build/ bredvid profilen).")
@click.option("--pdf-engine", type=click.Choice(PDF_ENGINES), default="typst", show_default=True,
              help="typst (snabb, PDF/A-2b + PDF/UA-1) eller libreoffice (konverterar DOCX:en).")
@click.option("--strict", is_flag=True, help="Bygg inte poster med varningar.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Antal parallella processer (standard: alla kärnor).")
@click.option("--force", is_flag=True, help="Bygg allt, även det som inte ändrats.")
@click.option("--quiet", "-q", is_flag=True, help="Skriv bara fel och sammanfattningen.")
@click.option("--shard", "shard_text", metavar="K/N",
              help="Bygg bara del K av N (en stabil uppdelning på postens id); slå ihop delarna med beslut merge.")
@profile_option
def build(paths: tuple[Path, ...], formats: str, out_dir: Path | None, pdf_engine: str, strict: bool,
          jobs: int | None, force: bool, quiet: bool, shard_text: str | None, profile_path: Path | None) -> None:
    """Bygg DOCX, PDF och HTML. Utan sökvägar byggs allt under decisions/.

    Bara poster vars indata ändrats sedan förra bygget byggs om (posten, profilen, mallarna,
    bilagor, verktygets version); utfiler för borttagna poster tas bort.
    """
    bar = None
    try:
        project = _project(profile_path, paths, formats=parse_formats(formats), pdf_engine=pdf_engine, strict=strict,
                           output=out_dir)
        from .shard import parse_shard

        shard = parse_shard(shard_text) if shard_text is not None else None
        bar, progress = _progress(quiet)
        result = build_records(project, list(paths), jobs=jobs, force=force, progress=progress, shard=shard,
                               waiting=lambda: click.echo(f"väntar: ett annat bygge skriver till {project.output} …",
                                                          err=True))
    except BeslutError as exc:
        if bar is not None:
            bar.close()
        _fail(exc)
        return
    if bar is not None:
        bar.close()
    for problem in result.check.problems:
        if problem.severity == "error" or strict or not quiet:
            click.echo(problem.format(), err=True)
    for warning in result.warnings:
        click.echo(f"varning: {warning}", err=True)
    if not quiet:
        for action, path in result.written:
            if action != "identical":
                click.echo(f"{action:<9} {path}")
        for path in result.removed:
            click.echo(f"{'remove':<9} {path}")
    click.echo(f"{len(result.built)} byggda, {len(result.skipped)} oförändrade, {len(result.failed)} misslyckade, "
               f"{sum(1 for a, _ in result.written if a != 'identical')} filer skrivna, {len(result.removed)} borttagna "
               f"({result.seconds:.2f} s)", err=not result.ok)
    sys.exit(0 if result.ok else EXIT_INVALID)


def _progress(quiet: bool):
    """A progress bar on a terminal; nothing otherwise (the file list and summary say enough)."""
    if quiet or not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    # a terminal that reports no size (some CI and serial consoles) still gets a bar: tqdm
    # hides bars below a screen it thinks has no rows
    size = shutil.get_terminal_size()
    width, height = size.columns or 80, size.lines or 24
    # on a terminal that cannot encode block characters tqdm would fall silent: draw with ASCII
    plain = not (sys.stderr.encoding or "").lower().replace("-", "").startswith("utf8")
    bar = tqdm(total=0, unit="post", file=sys.stderr, leave=False, ncols=width, nrows=height,
               ascii=plain or None, miniters=1, mininterval=0)  # every record shows: a build is not a hot loop

    def update(done: int, total: int, rid: str) -> None:
        bar.total = total
        bar.set_postfix_str(rid, refresh=False)
        bar.update(1)

    return bar, update


@main.command()
@click.argument("meeting", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Mapp som får intern/ och offentlig/.")
@click.option("--strict", is_flag=True, help="Varningar (utkast, platshållare, personnummer) räknas som fel.")
@profile_option
def packet(meeting: Path, out_dir: Path, strict: bool, profile_path: Path | None) -> None:
    """Gör ett sammanträdes kallelse och handlingar: MAPP/intern/ (allt) och MAPP/offentlig/ (utan sekretess).

    Båda utgåvorna skrivs hela eller inte alls; andra filer i MAPP rörs inte.
    """
    from .meetings import write_editions
    from .produce import produce

    try:
        project = _project(profile_path, (meeting,), strict=strict)
        outcome = produce(meeting, project)
        for problem in outcome.problems:
            click.echo(problem.format(), err=True)
        if not outcome.ok:
            click.echo(f"{meeting}: inga handlingar skrivna", err=True)
            sys.exit(EXIT_INVALID)
        if not outcome.package:
            raise UsageError(f"{meeting} är inget sammanträde (typ: sammanträde); bygg det med beslut build")
        for action, path in write_editions(out_dir, outcome.package):
            click.echo(f"{action:<9} {path}")
    except BeslutError as exc:
        _fail(exc)


@main.command()
@click.argument("meeting", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Mapp som får intern/ och offentlig/.")
@profile_option
def protokoll(meeting: Path, out_dir: Path, profile_path: Path | None) -> None:
    """Gör ett sammanträdes protokoll, ett protokollsutdrag per paragraf, anslaget och besluten som öppna data.

    Utfallen skrivs i sammanträdesfilen. MAPP/intern/ har allt, MAPP/offentlig/ inget av sekretessärendena.
    Båda utgåvorna skrivs hela eller inte alls; andra filer i MAPP rörs inte.
    """
    from .meetings import write_editions
    from .meetings.protokoll import produce_protokoll
    from .records import read_record

    try:
        project = _project(profile_path, (meeting,))
        record, problems, _ = read_record(meeting)
        if record is None or record.model.typ != "sammanträde":
            for problem in problems:
                click.echo(problem.format(), err=True)
            if record is not None:
                raise UsageError(f"{meeting} är inget sammanträde (typ: sammanträde)")
            sys.exit(EXIT_INVALID)
        result = produce_protokoll(record, project)
        for problem in result.problems:
            click.echo(problem.format(), err=True)
        for line in result.report:
            click.echo(line, err=True)
        if not result.ok:
            click.echo(f"{meeting}: inget protokoll skrivet", err=True)
            sys.exit(EXIT_INVALID)
        for action, path in write_editions(out_dir, result.files):
            click.echo(f"{action:<9} {path}")
    except BeslutError as exc:
        _fail(exc)


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Porten på 127.0.0.1 som förhandsvisningen svarar på.")
@click.option("--open", "open_browser", is_flag=True, help="Öppna förhandsvisningen i webbläsaren.")
@profile_option
def serve(port: int, open_browser: bool, profile_path: Path | None) -> None:
    """Visa projektets poster i webbläsaren, uppdaterade varje gång en fil sparas.

    Servern svarar bara på den här datorn (127.0.0.1) och skriver inget i build/. Den besvarar också
    beslut check FIL... i samma mapp, snabbare än kommandot själv. Avsluta med Ctrl+C.
    """
    from .serve import PreviewServer

    try:
        server = PreviewServer(Path.cwd(), port, profile_path)
    except OSError as exc:
        _fail(UsageError(f"kan inte lyssna på 127.0.0.1:{port}: {exc.strerror or exc}; välj en annan port med --port"))
        return
    except BeslutError as exc:
        _fail(exc)
        return
    try:  # Ctrl+C at any moment from here on ends the server cleanly
        click.echo(f"Förhandsvisning på {server.url} (Ctrl+C avslutar)")  # its port is bound already
        server.start()
        if server.checks is not None:
            click.echo("beslut check i den här mappen besvaras av servern")
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
        while not server.stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        click.echo("avslutar")
    finally:
        server.close()


@main.command()
@click.argument("shards", nargs=-1, required=True, metavar="DELMAPP...",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Mappen som får alla delars utfiler och ett gemensamt manifest.")
def merge(shards: tuple[Path, ...], out_dir: Path) -> None:
    """Slå ihop utmappar från beslut build --shard K/N till en, som ett helt bygge.

    Varje post får finnas i en del; delarna ska vara byggda med samma profil, mallar och flaggor.
    """
    from .shard import merge as merge_shards

    try:
        result = merge_shards(list(shards), out_dir)
    except BeslutError as exc:
        _fail(exc)
        return
    for action, path in result.written:
        if action != "identical":
            click.echo(f"{action:<9} {path}")
    click.echo(f"{len(result.records)} poster från {len(shards)} delar i {out_dir}")


@main.command()
@click.option("--profil", "profile_schema", is_flag=True, help="Schemat för profilen (beslut.yaml) i stället för poster.")
def schema(profile_schema: bool) -> None:
    """Skriv JSON Schema för poster (för yaml-language-server i editorn).

    I ett projekt har schemat profilens nämnder och förvaltningar att välja bland, som build/schema.json.
    """
    if not profile_schema:
        from .records import project_schema_json

        click.echo(project_schema_json(), nl=False)
        return
    from .profile import profile_schema_json

    click.echo(profile_schema_json(), nl=False)


def _interactive() -> bool:
    """Whether a person sits at a terminal to answer questions (tests replace this)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _complete_organ(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion for --nämnd: the organ keys of the nearest profile (none if there is none)."""
    try:
        profile = Project.open(None).profile
    except BeslutError:
        return []
    return [key for key in profile.organ if key.lower().startswith(incomplete.lower())]


_KINDS = kind_names()  # every built-in kind has a scaffold; the names without importing the kinds


@main.command()
@click.argument("kind", required=False, metavar="[TYP]", type=click.Choice(_KINDS))
@click.argument("path", required=False, metavar="[FIL]", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--nämnd", "organ", metavar="NYCKEL", shell_complete=_complete_organ,
              help="Nämndens nyckel i profilen (standard: den första).")
@click.option("--rubrik", help="Ärendets rubrik; ger också filnamnet.")
@click.option("--handläggare", "officer", metavar="NAMN", help="Handläggarens namn.")
@click.option("--förvaltning", "department", metavar="NAMN", help="Förvaltningen som skriver (standard: den första).")
@click.option("--force", is_flag=True, help="Skriv över en befintlig fil.")
@profile_option
def new(kind: str | None, path: Path | None, organ: str | None, rubrik: str | None, officer: str | None,
        department: str | None, force: bool, profile_path: Path | None) -> None:
    """Skapa ett giltigt utkast med alla avsnitt och en kort kommentar till varje.

    På en terminal frågar kommandot efter typ, nämnd, rubrik och handläggare (med profilens val);
    annars tas de från flaggorna. Utan FIL väljs nästa lediga filnamn under decisions/.
    """
    import datetime as dt

    from .scaffold import Answers, suggested_path

    try:
        project = _project(profile_path, (path.parent,) if path and path.parent.exists() else ())
        profile = project.profile
        if kind is None:
            if not _interactive():
                raise UsageError(f"ange vilken typ av post: {', '.join(_KINDS)}")
            kind = click.prompt("Typ av post", type=click.Choice(_KINDS),
                                default="tjänsteskrivelse" if "tjänsteskrivelse" in _KINDS else _KINDS[0])
        if _interactive():
            if organ is None and len(profile.organ) > 1:
                organ = click.prompt("Nämnd", type=click.Choice(list(profile.organ)), default=next(iter(profile.organ)))
            if rubrik is None:
                rubrik = click.prompt("Rubrik (tomt: fyll i senare)", default="", show_default=False) or None
            if officer is None and kind in ("tjänsteskrivelse", "utlåtande"):
                who = "Handläggare" if kind == "tjänsteskrivelse" else "Föredragande"
                officer = click.prompt(f"{who} (tomt: fyll i senare)", default="", show_default=False) or None
        answers = Answers(nämnd=organ, rubrik=rubrik, handläggare=officer, förvaltning=department)
        if path is None:
            target = suggested_path(project.records, kind, profile, answers, dt.date.today().year)
        else:
            target = path
            if target.exists() and not force:
                click.echo(f"{target} finns redan; välj ett annat namn eller använd --force", err=True)
                sys.exit(EXIT_INVALID)
        new_record(kind, target, profile, answers)
    except BeslutError as exc:
        _fail(exc)
        return
    click.echo(f"create    {target}")
    shown = shlex.quote(os.path.relpath(target))
    click.echo(f"Nästa steg: fyll i utkastet, kör sedan  beslut check {shown}  (och  beslut serve  för att se "
               "dokumentet medan du skriver)")


@main.command()
@click.argument("folder", required=False, default=".", metavar="[MAPP]", type=click.Path(path_type=Path, file_okay=False))
@click.option("--kommun", help="Kommunens namn, t.ex. \"Linköpings kommun\".")
@click.option("--ort", help="Orten i \"ort och datum\", t.ex. Linköping.")
@click.option("--nämnd", "organ_values", multiple=True, metavar="NYCKEL=Namn[:genitiv]",
              help="Ett beslutande organ; kan upprepas. Genitiv härleds om den inte anges "
                   "(standard: KS=Kommunstyrelsen och KF=Kommunfullmäktige).")
@click.option("--förvaltning", "forvaltningar", multiple=True, metavar="NAMN",
              help=f"En förvaltning; kan upprepas (standard: {init_lib.DEFAULT_FORVALTNING}).")
@click.option("--dnr-mönster", "dnr_pattern", metavar="REGEX",
              help=f"Reguljärt uttryck för diarienummer (standard: {init_lib.DEFAULT_DNR_PATTERN}).")
def init(folder: Path, kommun: str | None, ort: str | None, organ_values: tuple[str, ...],
         forvaltningar: tuple[str, ...], dnr_pattern: str | None) -> None:
    """Skapa ett nytt beslut-projekt i MAPP (standard: den aktuella mappen).

    Skriver beslut.yaml med kommentarer, en exempelpost under decisions/ och filer för Git,
    pre-commit, VS Code, GitHub Actions och GitLab CI. Frågar efter det som inte anges som
    flaggor när den körs i en terminal; annars gäller standardvärdena.
    """
    interactive = sys.stdin.isatty()
    if interactive:
        kommun = kommun or click.prompt("Kommunens namn (t.ex. Linköpings kommun)")
        ort = ort or click.prompt("Ort", default=init_lib.guess_ort(kommun or ""))
        if not organ_values:
            organ_values = tuple(init_lib.split_list(click.prompt(
                "Nämnder (NYCKEL=Namn, kommaseparerade)", default=", ".join(init_lib.DEFAULT_ORGANS))))
        if not forvaltningar:
            forvaltningar = tuple(init_lib.split_list(click.prompt(
                "Förvaltningar (kommaseparerade)", default=init_lib.DEFAULT_FORVALTNING)))
        dnr_pattern = dnr_pattern or click.prompt("Mönster för diarienummer", default=init_lib.DEFAULT_DNR_PATTERN)
    try:
        missing = init_lib.missing_settings(kommun, ort)
        if missing:
            raise UsageError(f"ange {' och '.join(missing)} (eller kör beslut init i en terminal för att bli tillfrågad)")
        settings = init_lib.Settings(
            kommun=kommun or "", ort=ort or "", organ=init_lib.organs(organ_values),
            förvaltningar=forvaltningar or (init_lib.DEFAULT_FORVALTNING,),
            dnr_mönster=dnr_pattern or init_lib.DEFAULT_DNR_PATTERN)
        report = init_lib.init_project(folder, settings)
    except BeslutError as exc:
        _fail(exc)
        return
    _report(report)
    step = "" if str(folder) == "." else f"cd {shlex.quote(str(folder))} && "
    click.echo(f"Klart. Kör nu: {step}beslut build")


@main.group()
def templates() -> None:
    """Mallarna för Word, PDF (typst) och HTML."""


@templates.command("export")
@click.argument("folder", required=False, metavar="[MAPP]", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Skriv över mallar som redan finns med annat innehåll.")
def templates_export(folder: Path | None, force: bool) -> None:
    """Kopiera standardmallarna till MAPP (standard: projektets templates/) för att ändra dem.

    En mall i projektets templates/ ersätter standardmallen med samma namn; de andra gäller som förut.
    """
    try:
        folder = folder or init_lib.project_templates()
        report = init_lib.export_templates(folder, force=force)
    except BeslutError as exc:
        _fail(exc)
        return
    _report(report)
    if any(action == "skip" for action, _ in report):
        click.echo("skip: filen finns redan med annat innehåll och behölls; --force skriver över", err=True)


def _report(report: list[tuple[str, Path]]) -> None:
    for action, path in report:
        click.echo(f"{action:<9} {path}")


# --- signed agreements (PAdES): sign and verify, thin wrappers over beslut.signing -------------

def _signing_profile(profile_path: Path | None, near: Path):
    """The profile for signing settings: the one given, else the nearest one if any (signing and
    verifying also work on a PDF outside any project)."""
    from .locate import find_profile
    from .profile import load_profile

    path = profile_path or find_profile(near.parent) or find_profile(Path.cwd())
    return load_profile(path) if path else None


def _secret(variable: str, prompt: str) -> str | None:
    """A passphrase or PIN: from the environment, else asked on a terminal, never an argument."""
    value = os.environ.get(variable)
    if value is None and sys.stdin.isatty():
        value = click.prompt(prompt, hide_input=True, default="", show_default=False, err=True)
    return value


@main.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--p12", "p12", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FIL",
              help="Undertecknarens nyckel och certifikat (PKCS#12, .p12/.pfx); lösenordet läses ur "
                   "BESLUT_P12_PASSPHRASE eller frågas efter i en terminal.")
@click.option("--pkcs11", "pkcs11_module", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="BIBLIOTEK", help="Smartkort: tillverkarens PKCS#11-bibliotek, i stället för --p12 "
                                       "(PIN ur BESLUT_PKCS11_PIN eller frågas efter).")
@click.option("--token", metavar="ETIKETT", help="Smartkortets (tokenets) etikett, med --pkcs11.")
@click.option("--key-label", metavar="ETIKETT", help="Nyckelns och certifikatets etikett på tokenet, med --pkcs11.")
@click.option("--field", "field_name", metavar="NAMN", help="Signaturfältet att signera (standard: det första tomma).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Den signerade PDF:en (en ny fil; indata ändras aldrig).")
@click.option("--tsa", metavar="URL", help="Tidsstämpelserver (RFC 3161): ger PAdES B-T. Standard: profilens "
                                          "signering.tidsstämpelserver; utan den B-B.")
@profile_option
def sign(pdf: Path, p12: Path | None, pkcs11_module: Path | None, token: str | None, key_label: str | None,
         field_name: str | None, out_file: Path, tsa: str | None, profile_path: Path | None) -> None:
    """Signera PDF:en (PAdES) i ett tomt signaturfält, som ett tillägg: tidigare underskrifter förblir giltiga."""
    from .signing import sign as signing

    try:
        if (p12 is None) == (pkcs11_module is None):
            raise UsageError("ange antingen --p12 FIL eller --pkcs11 BIBLIOTEK (med --token)")
        if p12 is not None:
            secret = _secret("BESLUT_P12_PASSPHRASE", f"Lösenord för {p12}")
            credentials = signing.load_pkcs12(p12, secret.encode() if secret else None)
        else:
            if not token or pkcs11_module is None:
                raise UsageError("--pkcs11 kräver --token ETIKETT")
            credentials = signing.load_pkcs11(pkcs11_module, token, key_label,
                                              _secret("BESLUT_PKCS11_PIN", f"PIN för {token}"))
        profile = _signing_profile(profile_path, pdf)
        url = tsa or (profile.signering.tidsstämpelserver if profile else None)
        timestamper = None
        if url:
            from pyhanko.sign.timestamps import HTTPTimeStamper

            timestamper = HTTPTimeStamper(url)
        result = signing.sign_pdf(pdf, out_file, credentials, field_name, timestamper)
    except BeslutError as exc:
        _fail(exc)
        return
    level = "B-T" if result.timestamped else "B-B"
    click.echo(f"signerad {result.output}: fältet {result.field} av {result.signer} (PAdES {level})")


@main.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--trust", "trust", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="CA.pem", help="Betrott rotcertifikat (PEM eller DER); kan upprepas. Standard: profilens "
                                     "signering.betrodda_rotcertifikat.")
@click.option("--require-all", is_flag=True, help="Kräv också att varje signaturfält är signerat.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Rapportens format.")
@profile_option
def verify(pdf: Path, trust: tuple[Path, ...], require_all: bool, fmt: str, profile_path: Path | None) -> None:
    """Kontrollera underskrifterna i en PDF: vem, när, oförändrad, betrodd, något tillagt efteråt.

    Slutkod 0 bara när varje underskrift är oförändrad och betrodd och inget osignerat lagts till.
    """
    import json

    from .signing import verify as verifying

    try:
        paths = list(trust)
        if not paths:
            profile = _signing_profile(profile_path, pdf)
            paths = profile.trust_roots if profile else []
        report = verifying.verify_pdf(pdf, verifying.load_trust_roots(paths))
    except BeslutError as exc:
        _fail(exc)
        return
    ok = report.ok(require_all)
    if fmt == "json":
        click.echo(json.dumps(report.to_data(require_all), ensure_ascii=False, indent=2))
    else:
        click.echo(verifying.format_text(report, require_all))
    sys.exit(0 if ok else EXIT_INVALID)


# --- Git review: diff, redline, review, git-setup (src/beslut/review/) -------------------------

class _DiffCommand(_Command):
    """Takes ``--`` as git diff does: revisions before it, paths after it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            cut = args.index("--")
            ctx.meta["review_paths"] = args[cut + 1:]
            args = args[:cut]
        return super().parse_args(ctx, args)


def _review_project(profile_path: Path | None):
    """The project (profile, records folder) if there is one; diff also works without."""
    try:
        return _project(profile_path, ())
    except BeslutError:
        if profile_path is not None:
            raise
        return None


def _review_fail(exc: BeslutError, least: int = 2) -> None:
    click.echo(str(exc), err=True)
    sys.exit(max(exc.exit_code, least))


@main.command(cls=_DiffCommand)
@click.argument("revisions", nargs=-1, metavar="[REV_A [REV_B]] [-- SÖKVÄGAR]")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text (i färg i en terminal), markdown (en kommentar till en pull request) eller json.")
@click.option("--schema", "show_schema", is_flag=True, help="Skriv JSON Schema för --format json och avsluta.")
@profile_option
@click.pass_context
def diff(ctx: click.Context, revisions: tuple[str, ...], fmt: str, show_schema: bool, profile_path: Path | None) -> None:
    """Visa vad som ändrats i posterna mellan två revisioner: fält, förslagspunkter, avsnitt, belopp.

    Som git diff: utan revisioner HEAD mot arbetskopian, med en revision den mot arbetskopian.
    Slutkod 0 utan skillnader, 1 med skillnader, 2 eller mer vid fel.
    """
    from .review import output
    from .review.compare import compare, parse_revisions
    from .review.git import Repo

    if show_schema:
        click.echo(output.schema_text(), nl=False)
        return
    try:
        paths = [Path(p) for p in ctx.meta.get("review_paths", [])]
        revs = list(revisions)
        while revs and "review_paths" not in ctx.meta and Path(revs[-1]).exists() and len(revs) > 0:
            paths.insert(0, Path(revs.pop()))  # git diff's guess: an existing path, not a revision
        rev_a, rev_b = parse_revisions(tuple(revs))
        project = _review_project(profile_path)
        repo = Repo(Path.cwd())
        result = compare(repo, project.records if project else None, project.profile.file if project else None,
                         rev_a, rev_b, paths)
    except BeslutError as exc:
        _review_fail(exc)
        return
    for record in result.records:
        for error in record.errors:
            click.echo(f"fel: {error}", err=True)
    if fmt == "json":
        click.echo(output.to_json(result), nl=False)
    elif fmt == "markdown":
        click.echo(output.to_markdown(result), nl=False)
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        click.echo(output.to_text(result, colour), nl=False, color=colour)
    sys.exit(1 if result.changed else 0)



@main.command()
@click.argument("rev_a", metavar="REV_A")
@click.argument("rev_b", metavar="REV_B")
@click.argument("record", metavar="POST", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "out_file", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Filen att skriva (FIL.docx, .html eller .pdf).")
@click.option("--format", "fmt", type=click.Choice(["docx", "html", "pdf"]), default=None,
              help="docx (spårade ändringar i Word), html (<ins>/<del>) eller pdf; standard: filändelsen.")
@profile_option
def redline(rev_a: str, rev_b: str, record: Path, out_file: Path, fmt: str | None, profile_path: Path | None) -> None:
    """Gör en post med ändringarna mellan REV_A och REV_B som spårade ändringar, på samma mall som build.

    Godkänn alla ändringar i Word ger postens dokument i REV_B, avvisa alla ger det i REV_A.
    """
    from .output import write_atomic
    from .review.git import Repo
    from .review.redline import redline as make_redline
    from .review.redline import render_redline

    try:
        fmt = fmt or (out_file.suffix.lstrip(".").lower() if out_file.suffix.lower() in (".docx", ".html", ".pdf")
                      else "docx")
        project = _project(profile_path, ())
        red = make_redline(Repo(Path.cwd()), project, rev_a, rev_b, record)
        write_atomic(out_file, render_redline(red, fmt, project))
    except BeslutError as exc:
        _fail(exc)
        return
    click.echo(f"{'write':<9} {out_file}")


@main.command()
@click.argument("rev_a", metavar="REV_A")
@click.argument("rev_b", metavar="REV_B")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Mapp för granskningen: summary.md, summary.json, redline/ och pdf/.")
@profile_option
def review(rev_a: str, rev_b: str, out_dir: Path, profile_path: Path | None) -> None:
    """Gör det en CI-jobb bifogar en pull request: sammanfattning (Markdown, JSON), redlines och nya PDF:er.

    Slutkod 0 utan ändrade poster, 1 med ändrade poster, 2 eller mer vid fel.
    """
    from .review.bundle import review as make_review
    from .review.git import Repo

    try:
        bundle = make_review(Repo(Path.cwd()), _project(profile_path, ()), rev_a, rev_b, out_dir)
    except BeslutError as exc:
        _review_fail(exc)
        return
    for path in bundle.written:
        click.echo(f"{'write':<9} {path}")
    for record, messages in bundle.problems.items():
        for message in messages:
            click.echo(f"{record}: {message}", err=True)
    n = len(bundle.comparison.records)
    click.echo(f"{n} {'post ändrad' if n == 1 else 'poster ändrade'}", err=True)
    sys.exit(1 if n else 0)


@main.command("git-setup")
@click.option("--command", "command", default=None, metavar="KOMMANDO",
              help="Hur Git ska starta beslut (standard: det installerade beslut-kommandot).")
@profile_option
def git_setup(command: str | None, profile_path: Path | None) -> None:
    """Låt git diff, git log -p och git show visa poster fält för fält och DOCX/PDF som text.

    Skriver drivrutinen i arkivets .git/config och raderna i .gitattributes.
    """
    from .review.git import Repo
    from .review.gitsetup import git_setup as setup

    try:
        project = _review_project(profile_path)
        records = "decisions"
        if project is not None:
            try:
                records = project.records.resolve().relative_to(Repo(project.root).root).as_posix()
            except ValueError:
                pass
        report = setup(Path.cwd(), records, command)
    except BeslutError as exc:
        _fail(exc)
        return
    for action, what in report:
        click.echo(f"{action:<9} {what}")


@main.command()
@click.argument("file", metavar="FIL", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--docx", "as_docx", is_flag=True, help="FIL är en DOCX: skriv dess text.")
@click.option("--pdf", "as_pdf", is_flag=True, help="FIL är en PDF: skriv dess text.")
def textconv(file: Path, as_docx: bool, as_pdf: bool) -> None:
    """Skriv en post som en rad per fält (eller en DOCX/PDF som text); Git anropar den (se git-setup)."""
    from .review import gitsetup

    data = file.read_bytes()
    try:
        if as_docx:
            text = gitsetup.docx_text(data)
        elif as_pdf:
            text = gitsetup.pdf_text(data)
        else:
            text = gitsetup.record_text(file, data)
    except Exception:  # noqa: BLE001 - a file Git hands over that is not what it says: show it as it is
        text = data.decode("utf-8", "replace")
    click.echo(text, nl=False)


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="beslut")  # "python -m beslut.cli" completes and reports as the installed command does
