"""What the kinds compose: the profile's wording, beslutsunderlag and bilagor, the examples faithful
to their sources, and a second kommun (tests/data/exempelby) that builds with no code of its own."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest

from beslut.compose import compose
from beslut.document import Heading, ListBlock, Paragraph, Rule, Run
from beslut.profile import load_profile
from beslut.records import load_record

from .conftest import MINIMAL, ROOT, run, write
from .helpers import docx_body_text, html_text, pdf_text

EXEMPELBY = Path(__file__).parent / "data" / "exempelby"


def document(project: Path, name: str = "r.yaml"):
    """The composed Document of one record in a project (the profile at the project's root)."""
    record, problems = load_record(project / "decisions" / name)
    assert record is not None, problems
    return compose(record, load_profile(project / "beslut.yaml"))


def texts(doc) -> list[str]:
    """The plain text of every heading, paragraph and list item, in order."""
    out: list[str] = []

    def walk(blocks):
        for b in blocks:
            if isinstance(b, (Heading, Paragraph)):
                out.append("".join(r.text for r in b.runs))
            elif isinstance(b, ListBlock):
                for item in b.items:
                    walk(item)
    walk(doc.blocks)
    return out


# --- the profile's wording, defaults as today ------------------------------------------------------

def test_default_wording_is_todays_text(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL + "beslutsunderlag:\n  - titel: Tjänsteskrivelse\n"
          "    datum: 2024-03-01\nskickas_till: [Leanlink]\n")
    (empty_project / "beslut.yaml").write_text((ROOT / "beslut.yaml").read_text(encoding="utf-8").split(
        "# formuleringar:")[0], encoding="utf-8")  # the repository's profile without its own formuleringar
    found = texts(document(empty_project))
    assert found[:3] == ["Förslag till beslut", "Nämnden beslutar.", "Ärende"]
    assert "Beslutsunderlag:" in found and "Tjänsteskrivelse, daterad 2024-03-01" in found
    assert found[-2:] == ["Beslutet skickas till:", "Leanlink"]


def test_every_fixed_word_comes_from_the_profile(empty_project):
    profile = (empty_project / "beslut.yaml").read_text(encoding="utf-8").split("# formuleringar:")[0]
    (empty_project / "beslut.yaml").write_text(profile + """
formuleringar:
  förslag_till_beslut: Förslag
  ärende: Sammanfattning
  beslutsunderlag: Handlingar
  beslutsunderlag_som_rubrik: true
  daterad: den
  skickas_till: Beslut sänds till
  bilaga: Bil.
""", encoding="utf-8")
    (empty_project / "decisions" / "b.pdf").write_bytes(b"%PDF-1.4\n")
    write(empty_project / "decisions" / "r.yaml", MINIMAL + "beslutsunderlag:\n  - titel: Tjänsteskrivelse\n"
          "    datum: 2024-03-01\n  - titel: Karta\n    bilaga: b.pdf\nskickas_till: [Leanlink]\n")
    doc = document(empty_project)
    found = texts(doc)
    assert found[:3] == ["Förslag", "Nämnden beslutar.", "Sammanfattning"]
    assert Heading(1, [Run("Handlingar")]) in doc.blocks
    assert "Tjänsteskrivelse, den 2024-03-01" in found and "Bil. 1: Karta" in found
    assert found[-2:] == ["Beslut sänds till:", "Leanlink"]


# --- beslutsunderlag, the protokoll line, bilagor ----------------------------------------------------

def test_beslutsunderlag_is_a_bulleted_list_after_the_protokoll_line(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL + "beslutsunderlag:\n  - titel: Tjänsteskrivelse\n"
          "    datum: 2024-03-01\n  - Motionen\n")
    doc = document(empty_project)
    start, end = doc.parts["underlag"]
    label, items = doc.blocks[start:end]
    assert label == Paragraph([Run("Beslutsunderlag:")], "label")
    assert isinstance(items, ListBlock) and not items.ordered
    assert [[b.runs for b in item] for item in items.items] == [[[Run("Tjänsteskrivelse, 2024-03-01")]],
                                                                [[Run("Motionen")]]]
    assert isinstance(doc.blocks[start - 1], Rule)  # the line closes förslag and ärende


def test_no_protokoll_line_without_beslutsunderlag(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    doc = document(empty_project)
    assert not any(isinstance(b, Rule) for b in doc.blocks)
    assert doc.part("underlag") == []
    assert doc.blocks[doc.parts["ärende"][1]] == Heading(1, [Run("Ekonomiska konsekvenser")])


def test_bilagor_are_numbered_listed_and_linked(empty_project):
    (empty_project / "decisions" / "underlag").mkdir()
    (empty_project / "decisions" / "underlag" / "Karta.PNG").write_bytes(b"x")
    (empty_project / "decisions" / "motion.pdf").write_bytes(b"%PDF-1.4\n")
    write(empty_project / "decisions" / "r.yaml", MINIMAL + """beslutsunderlag:
  - titel: Tjänsteskrivelse
    datum: 2024-03-01
  - titel: Motionen
    datum: 2024-01-10
    bilaga: motion.pdf
  - titel: Karta
    bilaga: underlag/Karta.PNG
""")
    doc = document(empty_project)
    assert [(b.number, b.title, b.source, b.output) for b in doc.bilagor] == [
        (1, "Motionen", "motion.pdf", "r.bilaga-1.pdf"), (2, "Karta", "underlag/Karta.PNG", "r.bilaga-2.PNG")]
    items = next(b for b in doc.part("underlag") if isinstance(b, ListBlock)).items
    assert items[1][0].runs == [Run("Bilaga 1: "), Run("Motionen, 2024-01-10", href="r.bilaga-1.pdf")]
    assert items[2][0].runs == [Run("Bilaga 2: "), Run("Karta", href="r.bilaga-2.PNG")]
    result = run("build", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (empty_project / "build" / "r.html").read_text(encoding="utf-8")
    assert '<li>Bilaga 1: <a href="r.bilaga-1.pdf">Motionen, <span class="nb">2024-01-10</span></a></li>' in html


def test_er_beteckning_reaches_the_letterhead(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL.replace("handläggare:", "er_beteckning: SKV 2024-1\n"
                                                                  "handläggare:"))
    (empty_project / "beslut.yaml").write_text((empty_project / "beslut.yaml").read_text(encoding="utf-8") +
                                               "brevhuvud:\n  fält: [datum, dnr, er_beteckning]\n", encoding="utf-8")
    assert document(empty_project).letterhead.fields == [("", "2024-03-01"), ("Dnr", "SON 2024-12"),
                                                         ("Er beteckning", "SKV 2024-1")]


# --- generated sentences add nothing the source lacks (issue 11, items 15–17) ------------------------

UPPDRAG = (ROOT / "decisions" / "son-2022-utvecklingsuppdrag-omradesteam.yaml").read_text(encoding="utf-8")
OWN_TEXT = UPPDRAG[UPPDRAG.index("  # Avsnittet som källan"):UPPDRAG.index("ort_och_datum:")]


def test_generated_uppdrag_sentences_add_no_month_count(empty_project):
    write(empty_project / "decisions" / "u.yaml", UPPDRAG.replace(OWN_TEXT, "\n"))
    found = texts(document(empty_project, "u.yaml"))
    assert "För 2022 utges ersättning fr.o.m. 2022-07-01, vilket innebär 875\u00a0tkr." in found
    assert "Ersättningen utges med totalt 8\u00a0410\u00a0tkr/år." in found
    assert not any("månader)" in t for t in found)


def test_uppdrag_own_wording_replaces_the_generated_sentences(empty_project):
    write(empty_project / "decisions" / "u.yaml", UPPDRAG)
    found = texts(document(empty_project, "u.yaml"))
    assert "Ersättningen utges med totalt 8 410 tkr/år:" in found
    assert "För 2022 utges ersättning fr. o.m 2022-07-01, vilket innebär 875 tkr." in found
    assert "Samtliga kostnader inklusive lokalkostnader ingår i ersättningen Uppdraget startar 2021-08-15. Uppdraget " \
           "är ett tillsvidare uppdrag med 12 månaders uppsägning." in found


def test_uppdrag_own_wording_must_name_the_fields_amounts(empty_project):
    write(empty_project / "decisions" / "u.yaml", UPPDRAG.replace("vilket innebär 875 tkr", "vilket innebär 857 tkr"))
    result = run("check", "decisions/u.yaml")
    line = next(x for x in result.stderr.splitlines() if "texten nämner inte" in x)
    assert line.endswith("varning: ersättning.text: texten nämner inte 875\u00a0tkr "
                         "(ersättning.tillägg.0.belopp_första_året_tkr); skriv in det i texten eller rätta fältet, "
                         "så att texten och fälten säger samma sak")


def test_seed_003_keeps_the_sources_link_facts(built_examples):
    html = (built_examples / "son-2021-omradesbaserat-socialt-arbete-motion.html").read_text(encoding="utf-8")
    assert "Länk till kommunfullmäktiges övergripande mål" in html and "linkoping.se" not in html


def test_seed_004_outline_matches_the_source(built_examples):
    with pikepdf.open(built_examples / "on-2015-182-omradesarbete-berga-lambohov.pdf") as pdf:
        with pdf.open_outline() as outline:
            tree = [(item.title, [child.title for child in item.children]) for item in outline.root]
    # the source's bookmarks (seed 004), the document title aside: every section at one level
    assert tree == [(title, []) for title in [
        "Förslag till beslut", "Ärende", "Bakgrund", "Uppdrag", "Uppföljning av uppdraget", "Uppföljande slutsatser",
        "Stimulansmedel för att stärka insatserna för barn och unga med psykisk ohälsa:",
        "Uppföljning av tilläggsuppdrag:", "Ekonomiska konsekvenser",
        "Information eller förhandling enligt lag (1976:580) om medbestämmande i arbetslivet"]]


def test_seed_000_beslutsunderlag_label_then_items(built_examples):
    html = (built_examples / "son-2020-faltverksamhet.html").read_text(encoding="utf-8")
    assert ('<p class="etikett">Beslutsunderlag:</p>\n<ul>\n<li>Tjänsteskrivelse Ställningstagande uppdrag till '
            "Leanlink Råd och stöd avseende fältverksamhet, polarverksamhet</li>\n</ul>") in html
    text = docx_body_text(built_examples / "son-2020-faltverksamhet.docx")
    assert "Beslutsunderlag:\nTjänsteskrivelse Ställningstagande" in text


def test_seed_004_has_no_protokoll_line(built_examples):
    assert "<hr>" not in (built_examples / "on-2015-182-omradesarbete-berga-lambohov.html").read_text(encoding="utf-8")


# --- a second kommun -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exempelby(tmp_path_factory) -> Path:
    """tests/data/exempelby with the repository's templates, built by the CLI."""
    root = tmp_path_factory.mktemp("exempelby") / "exempelby"
    shutil.copytree(EXEMPELBY, root)
    shutil.copytree(ROOT / "templates", root / "templates")
    result = run("build", str(root / "decisions"), "--out", str(root / "build"))
    assert result.exit_code == 0, result.output + result.stderr
    return root / "build"


def all_texts(build: Path, rid: str) -> dict[str, str]:
    """What a reader sees of each format: the whole HTML page (letterhead included), the DOCX body and
    header (the letterhead is a header table), the PDF's text."""
    import zipfile

    with zipfile.ZipFile(build / f"{rid}.docx") as z:
        headers = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/header"))
    header_text = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", headers)).replace("\u2011", "-")
    return {"html": html_text(build / f"{rid}.html", "body"),
            "docx": docx_body_text(build / f"{rid}.docx") + "\n" + header_text, "pdf": pdf_text(build / f"{rid}.pdf")}


def test_exempelby_tjansteskrivelse_speaks_its_kommuns_words(exempelby):
    for fmt, text in all_texts(exempelby, "bun-2024-skolskjuts").items():
        assert "Sammanfattning" in text and "Ärende" not in text, fmt
        assert "Beslut sänds till:" in text and "Beslutet skickas till" not in text, fmt
        assert "Beslutsunderlag:" not in text and "Beslutsunderlag" in text, fmt  # a heading, not a label
        assert "Riktlinjer för skolskjuts, daterad 2024-03-28" in text and "Bilaga 1" in text, fmt
        assert "Konsekvenser för barn" in text, fmt


def test_exempelby_utlatande_builds(exempelby):
    for fmt, text in all_texts(exempelby, "ks-2024-vision").items():
        assert "Utlåtande 2024:3 RI" in text, fmt
        assert "Kommunstyrelsen föreslår att kommunfullmäktige beslutar följande." in text, fmt
        assert "Föredragande kommunalrådet Olle Olsson anför följande." in text, fmt


def test_exempelby_letterhead_labels_in_every_format(exempelby):
    for fmt, text in all_texts(exempelby, "bun-2024-skolskjuts").items():
        assert "Vår beteckning" in text and "Er beteckning" in text and "SKV 2024-0815" in text, fmt


def test_exempelby_document_carries_its_letterhead(tmp_path):
    root = tmp_path / "exempelby"
    shutil.copytree(EXEMPELBY, root)
    doc = document(root, "bun-2024-skolskjuts.yaml")
    assert doc.letterhead.fields == [("", "2024-04-02"), ("Vår beteckning", "BUN 2024/31"),
                                     ("Er beteckning", "SKV 2024-0815")]
    assert doc.letterhead.document_type == "TJÄNSTESKRIVELSE" and doc.letterhead.page_number == "sidhuvud"
    utl = document(root, "ks-2024-vision.yaml")
    assert utl.letterhead.fields[-1] == ("Er beteckning", "Motion 2023:14")
    assert utl.letterhead.document_type == "UTLÅTANDE"


def test_exempelby_docx_has_the_bilaga_link(exempelby):
    with zipfile.ZipFile(exempelby / "bun-2024-skolskjuts.docx") as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "bun-2024-skolskjuts.bilaga-1.pdf" in rels
