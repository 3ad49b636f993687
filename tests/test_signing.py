"""Signed agreements (PAdES): fields in the built PDF, signing in turn, verifying, tampering, PDF/A kept.

Everything is real: certificates made at test time (tests/certificates.py, no key committed),
pyHanko signing and validating, page-validation checking PDF/A-2b and PDF/UA-1. The contract
commands run through the CLI exactly as the issue states them.
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from beslut.cli import main

from .certificates import CA, PASSPHRASE
from .conftest import ROOT

RID = "son-2022-utvecklingsuppdrag-omradesteam"
ENV = {"BESLUT_P12_PASSPHRASE": PASSPHRASE}


def cli(*args: str, env: dict[str, str] | None = None):
    """The CLI in-process; the passphrase comes from the environment, as it must."""
    return CliRunner().invoke(main, list(args), env={**ENV, **(env or {})}, catch_exceptions=False)


def make_final(text: str) -> str:
    """The example agreement made final: status beslutad, § number and signing date filled in."""
    return (text.replace("status: utkast", "status: beslutad").replace("SON § XXXXXX", "SON § 123")
            .replace("datum: 2022-.....-.....", "datum: 2022-06-01"))


def copy_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("beslut.yaml", "logotyp-exempel.png"):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "templates", folder / "templates")
    (folder / "decisions").mkdir()
    return folder


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> dict[str, Path]:
    """A CA, two parties' p12 files, an expired one, one that may not sign, one from another CA."""
    folder = tmp_path_factory.mktemp("pki")
    ca, other = CA(), CA("Annan CA")
    return {
        "ca": ca.pem(folder / "ca.pem"), "ca_obj": ca,  # type: ignore[dict-item]
        "p1": ca.p12(folder / "p1.p12", "Linda Ljungqvist", org="Linköpings kommun"),
        "p2": ca.p12(folder / "p2.p12", "Sonja Erlandsson", org="Leanlink"),
        "expired": ca.p12(folder / "expired.p12", "Utgången Person", expired=True),
        "nosign": ca.p12(folder / "nosign.p12", "Krypto Nyckel", signing=False),
        "stranger": other.p12(folder / "stranger.p12", "Okänd Främling"),
        "nopass": ca.p12(folder / "nopass.p12", "Utan Lösen", passphrase=""),
    }


@pytest.fixture(scope="session")
def agreement(tmp_path_factory) -> dict[str, Path]:
    """The example agreement, final and draft, built with the contract's command."""
    project = copy_project(tmp_path_factory.mktemp("avtal"))
    text = (ROOT / "decisions" / f"{RID}.yaml").read_text(encoding="utf-8")
    final = project / "decisions" / f"{RID}.yaml"
    final.write_text(make_final(text), encoding="utf-8")
    draft = project / "decisions" / "utkast-avtal.yaml"
    draft.write_text(text, encoding="utf-8")
    out = project / "ut"
    for record in (final, draft):
        result = cli("build", str(record), "--format", "pdf", "--out", str(out))
        assert result.exit_code == 0, result.output
    return {"project": project, "record": final, "final": out / f"{RID}.pdf", "draft": out / "utkast-avtal.pdf",
            "out": out}


@pytest.fixture(scope="session")
def signed(agreement, pki, tmp_path_factory) -> dict[str, Path]:
    """The final agreement signed by party 1, then by party 2 (the contract's commands)."""
    folder = tmp_path_factory.mktemp("signerat")
    once, twice = folder / "en.pdf", folder / "tva.pdf"
    first = cli("sign", str(agreement["final"]), "--p12", str(pki["p1"]), "--out", str(once))
    assert first.exit_code == 0, first.output
    second = cli("sign", str(once), "--p12", str(pki["p2"]), "--out", str(twice))
    assert second.exit_code == 0, second.output
    return {"once": once, "twice": twice}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def findings(data: bytes, profile: str) -> list[tuple[str, str]]:
    page = pytest.importorskip("page")
    report = page.validate_pdf_bytes(data, profile=profile)
    return [(f.rule_id, f.message) for f in report.failures]


# --- fields in the built PDF ---------------------------------------------------------------------

def test_final_pdf_holds_one_empty_tagged_field_per_party(agreement):
    with pikepdf.open(agreement["final"]) as pdf:
        assert str(pdf.docinfo["/BeslutStatus"]) == "slutlig"
        fields = list(pdf.Root.AcroForm.Fields)
        assert [str(f.T) for f in fields] == ["part-1", "part-2"]
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        last = pdf.pages[-1].obj
        for f, who in zip(fields, ("Linda Ljungqvist", "Sonja Erlandsson")):
            assert f.FT == "/Sig" and "/V" not in f and f.Subtype == "/Widget"
            assert int(f.F) & 4 and "/N" in f.AP, "printable, with an appearance (PDF/A)"
            assert who in str(f.TU), "a tooltip naming the signer (PDF/UA)"
            element = parent_tree[int(f.StructParent)]
            assert element.S == "/Form" and element.K.Type == "/OBJR" and element.K.Obj.objgen == f.objgen
            assert f.P.objgen == last.objgen and last.Tabs == "/S"
        left, right = (tuple(float(v) for v in f.Rect) for f in fields)
        assert left[2] < right[0] and left[1] == right[1], "side by side on the same signing line"


def test_fields_sit_on_their_signing_lines(agreement):
    """The field's lower edge is the signing line: the party name above, the signer's name below."""
    pdfplumber = pytest.importorskip("pdfplumber")
    with pikepdf.open(agreement["final"]) as pdf:
        rect = [float(v) for v in pdf.Root.AcroForm.Fields[0].Rect]
    with pdfplumber.open(agreement["final"]) as doc:
        page = doc.pages[-1]
        height = float(page.height)
        lines = [ln for ln in page.lines if abs(ln["x0"] - rect[0]) < 1]
        assert any(abs((height - ln["top"]) - rect[1]) < 1.5 for ln in lines), (rect, lines)
        words = {w["text"]: w for w in page.extract_words()}
        assert height - words["Ljungqvist"]["bottom"] < rect[1] < height - words["social-"]["top"]


def test_final_pdf_with_empty_fields_is_pdfa_and_pdfua(agreement):
    data = agreement["final"].read_bytes()
    assert findings(data, "2b") == [] and findings(data, "ua1") == []


def test_fields_are_deterministic(agreement):
    from beslut.compose import compose
    from beslut.project import Project
    from beslut.records import read_record
    from beslut.render.pdf import render_pdf

    project = Project.open(agreement["project"])
    record, problems, _ = read_record(agreement["record"])
    assert record is not None, problems
    doc = compose(record, project.profile)
    first, second = (render_pdf(doc, project.templates, record.path) for _ in range(2))
    assert first == second == agreement["final"].read_bytes()


def test_draft_has_no_fields_and_cannot_be_signed(agreement, pki, tmp_path):
    with pikepdf.open(agreement["draft"]) as pdf:
        assert str(pdf.docinfo["/BeslutStatus"]) == "utkast" and "/AcroForm" not in pdf.Root
    before = digest(agreement["draft"])
    result = cli("sign", str(agreement["draft"]), "--p12", str(pki["p1"]), "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1 and "utkast" in result.output
    assert not (tmp_path / "x.pdf").exists() and digest(agreement["draft"]) == before


def test_documents_without_signing_lines_are_untouched(built_examples):
    with pikepdf.open(built_examples / "son-2020-faltverksamhet.pdf") as pdf:
        assert "/AcroForm" not in pdf.Root and "/BeslutStatus" not in pdf.docinfo


# --- signing in turn and verifying ----------------------------------------------------------------

def test_two_parties_sign_in_turn_and_verify_passes(signed, pki):
    result = cli("verify", str(signed["twice"]), "--trust", str(pki["ca"]), "--require-all")
    assert result.exit_code == 0, result.output
    assert "Linda Ljungqvist" in result.output and "Sonja Erlandsson" in result.output
    assert "OK:" in result.output


def test_second_signature_leaves_the_first_bytes_alone(signed):
    once, twice = signed["once"].read_bytes(), signed["twice"].read_bytes()
    assert twice.startswith(once), "an incremental update: the first party's signed file is untouched"


def test_signed_files_start_with_the_built_pdf(agreement, signed):
    assert signed["once"].read_bytes().startswith(agreement["final"].read_bytes())


def test_once_signed_fails_require_all_but_passes_without(signed, pki):
    result = cli("verify", str(signed["once"]), "--trust", str(pki["ca"]), "--require-all")
    assert result.exit_code == 1 and "osignerade fält: part-2" in result.output
    assert cli("verify", str(signed["once"]), "--trust", str(pki["ca"])).exit_code == 0


def test_verify_without_trust_roots_says_so_and_fails(signed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no profile here either
    result = cli("verify", str(signed["twice"]))
    assert result.exit_code == 1
    assert "inte kontrollerade mot betrodda rotcertifikat" in result.output


def test_verify_uses_the_profiles_trust_roots(signed, pki, tmp_path):
    shutil.copy(ROOT / "beslut.yaml", tmp_path / "beslut.yaml")
    shutil.copy(ROOT / "logotyp-exempel.png", tmp_path / "logotyp-exempel.png")
    shutil.copy(pki["ca"], tmp_path / "ca.pem")
    with open(tmp_path / "beslut.yaml", "a", encoding="utf-8") as profile:
        profile.write("signering:\n  betrodda_rotcertifikat: [ca.pem]\n")
    result = cli("verify", str(signed["twice"]), "--profile", str(tmp_path / "beslut.yaml"), "--require-all")
    assert result.exit_code == 0, result.output


def test_signer_from_another_ca_is_not_trusted(agreement, pki, tmp_path):
    out = tmp_path / "s.pdf"
    assert cli("sign", str(agreement["final"]), "--p12", str(pki["stranger"]), "--out", str(out)).exit_code == 0
    result = cli("verify", str(out), "--trust", str(pki["ca"]))
    assert result.exit_code == 1 and "kedjar inte till något betrott rotcertifikat" in result.output


def test_verify_json(signed, pki):
    result = cli("verify", str(signed["twice"]), "--trust", str(pki["ca"]), "--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["ok"] and data["trust_checked"]
    assert [(s["field"], s["signer"], s["intact"], s["trusted"]) for s in data["signatures"]] == [
        ("part-1", "Linda Ljungqvist", True, True), ("part-2", "Sonja Erlandsson", True, True)]
    assert data["signatures"][0]["after"] == "senare parters underskrifter" and data["empty_fields"] == []


def test_sign_a_named_field_first(agreement, pki, tmp_path):
    out = tmp_path / "s.pdf"
    result = cli("sign", str(agreement["final"]), "--p12", str(pki["p2"]), "--field", "part-2", "--out", str(out))
    assert result.exit_code == 0 and "part-2" in result.output
    from beslut.signing.verify import verify_pdf

    report = verify_pdf(out)
    assert [s.field for s in report.signatures] == ["part-2"] and report.empty_fields == ["part-1"]


def test_unprotected_p12_signs_without_passphrase(agreement, pki, tmp_path):
    out = tmp_path / "s.pdf"
    result = CliRunner().invoke(main, ["sign", str(agreement["final"]), "--p12", str(pki["nopass"]), "--out", str(out)],
                                env={"BESLUT_P12_PASSPHRASE": None})
    assert result.exit_code == 0, result.output


def test_passphrase_is_never_an_argument():
    from beslut.cli import sign

    assert not [o for p in sign.params for o in p.opts if "pass" in o or "pin" in o.lower()]


# --- tampering ------------------------------------------------------------------------------------

def _flip(data: bytes) -> bytes:
    """One byte changed inside the first signed range (in a page's compressed content)."""
    out = bytearray(data)
    out[out.index(b"stream", 2000) + 40] ^= 0x01
    return bytes(out)


def _rewrite_with_page(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.add_blank_page()
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def _incremental(change) -> callable:
    def update(data: bytes) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        change(writer)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()
    return update


def _field(writer, name: str):
    for ref in writer.root["/AcroForm"]["/Fields"]:
        if ref.get_object()["/T"] == name:
            return ref.get_object()
    raise KeyError(name)


def _change_form_value(writer) -> None:
    from pyhanko.pdf_utils import generic

    value = _field(writer, "part-1")["/V"].get_object()
    value["/Reason"] = generic.TextStringObject("ändrat i efterhand")
    writer.update_container(value)


def _remove_signature(writer) -> None:
    field = _field(writer, "part-1")
    del field["/V"]
    writer.update_container(field)


def _append_page(writer) -> None:
    from pyhanko.pdf_utils import generic

    n = generic.NumberObject
    content = writer.add_object(generic.StreamObject(stream_data=b"0 0 m 100 100 l S"))
    writer.insert_page(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Page"), generic.pdf_name("/Contents"): content,
        generic.pdf_name("/MediaBox"): generic.ArrayObject([n(0), n(0), n(595), n(842)])}))


def _add_content(writer) -> None:
    """Text drawn onto the first page, in an update after the last signature."""
    from pyhanko.pdf_utils import generic

    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    extra = writer.add_object(generic.StreamObject(stream_data=b"q 0 0 1 rg 72 72 200 20 re f Q"))
    contents = page["/Contents"]
    page["/Contents"] = generic.ArrayObject([*(contents if isinstance(contents, list) else [contents]), extra])
    writer.update_container(page)


@pytest.mark.parametrize("tamper, says", [
    (_flip, "innehållet har ändrats efter underskriften"),
    (_rewrite_with_page, "filen har skrivits om"),
    (_incremental(_change_form_value), "har ändrats efter den sista underskriften utan ny underskrift"),
    (_incremental(_remove_signature), "underskriften i fältet 'part-1' har tagits bort"),
    (_incremental(_append_page), "har ändrats efter den sista underskriften utan ny underskrift"),
    (_incremental(_add_content), "har ändrats efter den sista underskriften utan ny underskrift"),
], ids=["byte-flipped", "rewritten-page-appended", "form-value-changed", "signature-removed", "page-appended-incrementally",
        "content-added-incrementally"])
def test_tampering_fails_verify_and_says_which(signed, pki, tmp_path, tamper, says):
    tampered = tmp_path / "andrad.pdf"
    tampered.write_bytes(tamper(signed["twice"].read_bytes()))
    result = cli("verify", str(tampered), "--trust", str(pki["ca"]))
    assert result.exit_code == 1, result.output
    assert says in result.output, result.output


# --- PDF/A and PDF/UA kept ------------------------------------------------------------------------

def test_signed_pdfs_stay_pdfa_and_pdfua(signed):
    once, twice = signed["once"].read_bytes(), signed["twice"].read_bytes()
    assert findings(once, "2b") == [] and findings(once, "ua1") == []
    assert findings(twice, "ua1") == []
    # page-validation 0.11 demands that every signature's /ByteRange reach the end of the file;
    # an earlier party's signature in a PDF signed in turn cannot (it covers its own revision, as
    # ISO 32000 and veraPDF have it). That is the only finding, and only on the first signature.
    assert findings(twice, "2b") == [("PDFA2B-SIGNATURE-BYTERANGE-001", "a signature /ByteRange does not cover the "
                                      "complete PDF except for its signature contents")]


def test_signing_keeps_the_metadata(agreement, signed):
    with pikepdf.open(agreement["final"]) as built, pikepdf.open(signed["twice"]) as sig:
        assert str(built.open_metadata()) == str(sig.open_metadata())
        assert dict(built.docinfo) == dict(sig.docinfo)


def _dummy_timestamper(ca: CA):
    """pyHanko's dummy timestamp authority with a TSA certificate from the test CA (RSA: it signs with RSA only)."""
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key, cert = ca.issue("Test-TSA", extended_key_usage=[ExtendedKeyUsageOID.TIME_STAMPING], rsa_key=True)
    return DummyTimeStamper(
        tsa_cert=x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption())))


def test_pades_b_t_with_a_dummy_timestamper(agreement, pki, tmp_path):
    from beslut.signing.sign import load_pkcs12, sign_pdf
    from beslut.signing.verify import format_text, load_trust_roots, verify_pdf

    stamper = _dummy_timestamper(pki["ca_obj"])
    out = tmp_path / "bt.pdf"
    result = sign_pdf(agreement["final"], out, load_pkcs12(pki["p1"], PASSPHRASE.encode()), timestamper=stamper)
    assert result.timestamped
    report = verify_pdf(out, load_trust_roots([pki["ca"]]))
    assert report.signatures[0].timestamp is not None and report.signatures[0].passed(), format_text(report)
    assert findings(out.read_bytes(), "2b") == [] and findings(out.read_bytes(), "ua1") == []


# --- bad input ------------------------------------------------------------------------------------

def _encrypted(src: Path, dest: Path) -> Path:
    with pikepdf.open(src) as pdf:
        pdf.save(dest, encryption=pikepdf.Encryption(owner="ägare", user=""))
    return dest


@pytest.mark.parametrize("case, says", [
    ("wrong-passphrase", "fel lösenord"),
    ("expired", "gick ut"),
    ("not-for-signing", "får inte användas för underskrifter"),
    ("no-free-field", "inget ledigt signaturfält"),
    ("encrypted", "krypterad"),
    ("broken", "trasig"),
    ("not-a-pdf", "är ingen PDF"),
    ("unknown-field", "har inget signaturfält 'part-9'"),
    ("same-file", "skriv den signerade PDF:en till en annan fil"),
    ("signed-output-exists", "finns redan och bär underskrifter"),
])
def test_bad_input_is_refused_cleanly(agreement, signed, pki, tmp_path, case, says):
    source, p12, extra, env = agreement["final"], pki["p1"], [], {}
    if case == "wrong-passphrase":
        env = {"BESLUT_P12_PASSPHRASE": "fel"}
    elif case == "expired":
        p12 = pki["expired"]
    elif case == "not-for-signing":
        p12 = pki["nosign"]
    elif case == "no-free-field":
        source = signed["twice"]
    elif case == "encrypted":
        source = _encrypted(agreement["final"], tmp_path / "krypterad.pdf")
    elif case == "broken":
        source = tmp_path / "trasig.pdf"
        source.write_bytes(agreement["final"].read_bytes()[:3000])
    elif case == "not-a-pdf":
        source = tmp_path / "inte.pdf"
        source.write_text("hej", encoding="utf-8")
    elif case == "unknown-field":
        extra = ["--field", "part-9"]
    out = source if case == "same-file" else tmp_path / "ut" / "signerad.pdf"
    if case == "signed-output-exists":
        out = shutil.copy(signed["twice"], tmp_path / "redan-signerad.pdf")
        kept = digest(out)
    if case == "same-file":
        source = shutil.copy(agreement["final"], tmp_path / "kopia.pdf")
        out = source
    before = digest(source)
    result = cli("sign", str(source), "--p12", str(p12), *extra, "--out", str(out), env=env)
    assert result.exit_code in (1, 2), result.output
    assert says in result.output and "Traceback" not in result.output, result.output
    assert digest(source) == before, "the input is untouched"
    if case == "signed-output-exists":
        assert digest(out) == kept, "a signed file is never overwritten"
    elif out != source:
        assert not out.exists() and not (out.parent.exists() and any(out.parent.iterdir())), "no partial output"


def test_verify_refuses_a_broken_pdf(tmp_path, pki):
    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"%PDF-1.7\ngarbage")
    result = cli("verify", str(broken), "--trust", str(pki["ca"]))
    assert result.exit_code == 1 and "trasig" in result.output and "Traceback" not in result.output


# --- a signature is never lost --------------------------------------------------------------------

def _final_project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "p")
    text = make_final((ROOT / "decisions" / f"{RID}.yaml").read_text(encoding="utf-8"))
    (project / "decisions" / f"{RID}.yaml").write_text(text, encoding="utf-8")
    return project


def test_rebuild_never_overwrites_a_signed_pdf(tmp_path, pki):
    project = _final_project(tmp_path)
    record = project / "decisions" / f"{RID}.yaml"
    assert cli("build", str(record), "--format", "pdf").exit_code == 0
    built = project / "build" / f"{RID}.pdf"
    signed = tmp_path / "s.pdf"
    assert cli("sign", str(built), "--p12", str(pki["p1"]), "--out", str(signed)).exit_code == 0
    shutil.copy(signed, built)  # someone signed the built PDF in place
    record.write_text(record.read_text(encoding="utf-8").replace("utvecklingsfokus", "starkt utvecklingsfokus"),
                      encoding="utf-8")
    result = cli("build", str(record), "--format", "pdf")
    assert built.read_bytes() == signed.read_bytes(), "the signed PDF is kept"
    assert "är signerad och skrivs inte över" in result.output
    check = cli("check", str(record))
    assert "stämmer inte längre med posten" in check.output


def test_check_reports_a_record_changed_after_signing(tmp_path, pki):
    project = _final_project(tmp_path)
    record = project / "decisions" / f"{RID}.yaml"
    assert cli("build", str(record), "--format", "pdf").exit_code == 0
    built = project / "build" / f"{RID}.pdf"
    copy = project / "build" / f"{RID}.signerad.pdf"
    assert cli("sign", str(built), "--p12", str(pki["p1"]), "--out", str(copy)).exit_code == 0
    unchanged = cli("check", str(record))
    assert unchanged.exit_code == 0 and "stämmer inte längre" not in unchanged.output
    record.write_text(record.read_text(encoding="utf-8").replace("SON § 123", "SON § 124"), encoding="utf-8")
    changed = cli("check", str(record))
    assert f"build/{RID}.signerad.pdf är signerad men stämmer inte längre med posten" in changed.output
    assert cli("check", "--strict", str(record)).exit_code == 1


# --- one seal by an e-signature service -----------------------------------------------------------

def test_a_service_seal_is_reported_as_such(agreement, pki, tmp_path):
    """An e-signature service returns the PDF sealed once, in a field of its own, with its own certificate."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    service = pki["ca_obj"].p12(tmp_path / "tjanst.p12", "E-underskrift AB sigill", org="E-underskrift AB")
    signer = signers.SimpleSigner.load_pkcs12(str(service), passphrase=PASSPHRASE.encode())
    writer = IncrementalPdfFileWriter(io.BytesIO(agreement["final"].read_bytes()))
    sealed = tmp_path / "forseglad.pdf"
    with open(sealed, "wb") as out:
        signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Sigill", subfilter=fields.SigSeedSubFilter.PADES),
                         signer=signer, new_field_spec=fields.SigFieldSpec("Sigill"), output=out)
    result = cli("verify", str(sealed), "--trust", str(pki["ca"]))
    assert "förseglad av en e-underskriftstjänst (E-underskrift AB sigill, E-underskrift AB)" in result.output
    assert result.exit_code == 0, result.output
    assert cli("verify", str(sealed), "--trust", str(pki["ca"]), "--require-all").exit_code == 1


# --- more refusals and options --------------------------------------------------------------------

def test_verify_a_pdf_without_signatures_fails(agreement, pki):
    result = cli("verify", str(agreement["final"]), "--trust", str(pki["ca"]))
    assert result.exit_code == 1 and "PDF:en har inga underskrifter" in result.output
    assert "tomma fält: part-1, part-2" in result.output


def test_unreachable_timestamp_authority_fails_cleanly(agreement, pki, tmp_path):
    out = tmp_path / "ut.pdf"
    result = cli("sign", str(agreement["final"]), "--p12", str(pki["p1"]), "--tsa", "http://127.0.0.1:9/tsa",
                 "--out", str(out))
    assert result.exit_code == 1 and "kunde inte signera" in result.output and not out.exists()


def test_profile_timestamp_authority_must_be_a_web_address(tmp_path):
    from beslut.errors import RecordError
    from beslut.profile import load_profile

    profile = tmp_path / "beslut.yaml"
    profile.write_text((ROOT / "beslut.yaml").read_text(encoding="utf-8")
                       + "signering:\n  tidsstämpelserver: ftp://tsa.example.se\n", encoding="utf-8")
    with pytest.raises(RecordError, match="https://"):
        load_profile(profile)


SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")


@pytest.mark.skipif(not SOFTHSM.exists() or not shutil.which("softhsm2-util"), reason="SoftHSM saknas (apt install softhsm2)")
def test_sign_with_a_smart_card_through_pkcs11(agreement, pki, tmp_path, monkeypatch):
    """A SoftHSM token stands in for the smart card: the key never leaves it."""
    import subprocess

    pkcs11 = pytest.importorskip("pkcs11")
    from cryptography.hazmat.primitives import serialization

    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "Testkort", "--pin", "1234", "--so-pin", "5678"],
                   check=True, capture_output=True)
    key, cert = pki["ca_obj"].issue("Kort Innehavare")
    pem = tmp_path / "key.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(pem), "--token", "Testkort", "--label", "signering", "--id", "01",
                    "--pin", "1234"], check=True, capture_output=True)
    pem.unlink()
    a = pkcs11.Attribute
    with pkcs11.lib(str(SOFTHSM)).get_token(token_label="Testkort").open(rw=True, user_pin="1234") as session:
        session.create_object({a.CLASS: pkcs11.ObjectClass.CERTIFICATE, a.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                               a.VALUE: cert.public_bytes(serialization.Encoding.DER), a.LABEL: "signering",
                               a.ID: b"\x01", a.TOKEN: True, a.SUBJECT: cert.subject.public_bytes()})
    out = tmp_path / "kort.pdf"
    card = ["--pkcs11", str(SOFTHSM), "--token", "Testkort", "--key-label", "signering"]
    wrong = cli("sign", str(agreement["final"]), *card, "--out", str(out), env={"BESLUT_PKCS11_PIN": "0000"})
    assert wrong.exit_code == 1 and "fel PIN-kod" in wrong.output and not out.exists()
    result = cli("sign", str(agreement["final"]), *card, "--out", str(out), env={"BESLUT_PKCS11_PIN": "1234"})
    assert result.exit_code == 0, result.output
    verified = cli("verify", str(out), "--trust", str(pki["ca"]))
    assert verified.exit_code == 0 and "Kort Innehavare" in verified.output


def test_no_flipped_byte_in_the_signed_ranges_passes(signed, pki, tmp_path):
    """Bytes flipped all over the signed ranges (the first party's signature value included):
    verify never passes and never fails with anything but its own error."""
    import random
    import re

    from beslut.errors import BeslutError
    from beslut.signing.verify import load_trust_roots, verify_pdf

    data = signed["twice"].read_bytes()
    start, first, second, rest = (int(v) for v in re.findall(rb"/ByteRange\s*\[([^\]]*)\]", data)[-1].split())
    rng = random.Random(7)
    positions = rng.sample(range(0, first), 30) + rng.sample(range(second, second + rest), 10)
    roots = load_trust_roots([pki["ca"]])
    for position in positions:
        flipped = bytearray(data)
        flipped[position] ^= 0x01
        path = tmp_path / "flip.pdf"
        path.write_bytes(bytes(flipped))
        try:
            assert not verify_pdf(path, roots).ok(), position
        except BeslutError:
            pass


def test_removing_the_record_keeps_its_signed_pdf(tmp_path, pki):
    project = _final_project(tmp_path)
    record = project / "decisions" / f"{RID}.yaml"
    assert cli("build", "--format", "pdf,html", str(project / "decisions")).exit_code == 0
    built = project / "build" / f"{RID}.pdf"
    signed = tmp_path / "s.pdf"
    assert cli("sign", str(built), "--p12", str(pki["p1"]), "--out", str(signed)).exit_code == 0
    shutil.copy(signed, built)
    record.unlink()
    result = cli("build", "--format", "pdf,html", str(project / "decisions"))
    assert built.read_bytes() == signed.read_bytes() and "tas inte bort" in result.output
    assert not (project / "build" / f"{RID}.html").exists(), "its other outputs go as before"


def test_the_contract_as_separate_processes(agreement, pki, tmp_path):
    """The outside check's commands as real processes: exit codes, and nothing but beslut's own words
    on stderr (pyHanko logs validation failures with tracebacks; beslut keeps them out)."""
    import os
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "beslut.cli", *args], capture_output=True, text=True,
                              env={**os.environ, **ENV}, timeout=120)

    one, two = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert run("sign", str(agreement["final"]), "--p12", str(pki["p1"]), "--out", str(one)).returncode == 0
    assert run("sign", str(one), "--p12", str(pki["p2"]), "--out", str(two)).returncode == 0
    ok = run("verify", str(two), "--trust", str(pki["ca"]), "--require-all")
    assert ok.returncode == 0 and "Linda Ljungqvist" in ok.stdout and "Sonja Erlandsson" in ok.stdout
    untrusted = run("verify", str(two), "--trust", str(tmp_path / ".." / "x.pem"))
    assert untrusted.returncode == 2  # a missing trust file is a usage error
    for failing in (run("verify", str(one), "--trust", str(pki["ca"]), "--require-all"), run("verify", str(two)),
                    run("sign", str(agreement["draft"]), "--p12", str(pki["p1"]), "--out", str(tmp_path / "d.pdf"))):
        assert failing.returncode == 1 and "Traceback" not in failing.stderr + failing.stdout, failing.stderr


def test_a_trust_file_without_certificates_is_refused(signed, tmp_path):
    key_only = tmp_path / "nyckel.pem"
    key_only.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", encoding="ascii")
    result = cli("verify", str(signed["twice"]), "--trust", str(key_only))
    assert result.exit_code == 1 and "är inget certifikat" in result.output


def test_any_signature_block_with_lines_gets_fields(agreement):
    """Generic: a protokoll's block (ordförande, justerare, sekreterare) gets its fields the same way."""
    from dataclasses import replace

    from beslut.compose import compose
    from beslut.document import Signatures, Signer
    from beslut.project import Project
    from beslut.records import read_record
    from beslut.render.pdf import render_pdf

    project = Project.open(agreement["project"])
    record, _, _ = read_record(agreement["record"])
    doc = compose(record, project.profile)
    block = Signatures([Signer("Ordförande", "Anna A", field="ordforande"), Signer("Justerare", "Bo B", field="justerare"),
                        Signer("Sekreterare", "Cia C", field="sekreterare")], lines=True)
    protokoll = replace(doc, blocks=[b if not isinstance(b, Signatures) else block for b in doc.blocks])
    data = render_pdf(protokoll, project.templates, record.path)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert [str(f.T) for f in pdf.Root.AcroForm.Fields] == ["ordforande", "justerare", "sekreterare"]
    assert findings(data, "2b") == [] and findings(data, "ua1") == []
    draft = render_pdf(replace(protokoll, draft=True), project.templates, record.path)
    with pikepdf.open(io.BytesIO(draft)) as pdf:
        assert "/AcroForm" not in pdf.Root


def test_verify_reports_a_signed_draft(agreement, pki, tmp_path):
    """Signed by another tool despite being a draft: verify says so and fails."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(pki["p1"]), passphrase=PASSPHRASE.encode())
    out = tmp_path / "utkast-signerat.pdf"
    with open(out, "wb") as handle:
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(agreement["draft"].read_bytes())),
                         signers.PdfSignatureMetadata(field_name="x", subfilter=fields.SigSeedSubFilter.PADES),
                         signer=signer, new_field_spec=fields.SigFieldSpec("x"), output=handle)
    result = cli("verify", str(out), "--trust", str(pki["ca"]))
    assert result.exit_code == 1 and "byggd från ett utkast" in result.output


def test_b_t_when_the_profile_names_a_timestamp_authority(agreement, pki, tmp_path):
    """The dummy timestamper answers RFC 3161 requests on 127.0.0.1 (no network beyond this machine);
    the profile's signering.tidsstämpelserver makes `beslut sign` ask it."""
    import asyncio
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import tsp

    stamper = _dummy_timestamper(pki["ca_obj"])

    class TSA(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            answer = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), TSA)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        profile = tmp_path / "beslut.yaml"
        shutil.copy(ROOT / "logotyp-exempel.png", tmp_path / "logotyp-exempel.png")
        profile.write_text((ROOT / "beslut.yaml").read_text(encoding="utf-8") + "signering:\n  tidsstämpelserver: "
                           f"http://127.0.0.1:{server.server_address[1]}/tsa\n", encoding="utf-8")
        out = tmp_path / "bt.pdf"
        result = cli("sign", str(agreement["final"]), "--p12", str(pki["p1"]), "--profile", str(profile),
                     "--out", str(out))
        assert result.exit_code == 0 and "PAdES B-T" in result.output, result.output
    finally:
        server.shutdown()
    verified = cli("verify", str(out), "--trust", str(pki["ca"]), "--format", "json")
    data = json.loads(verified.output)
    assert verified.exit_code == 0 and data["signatures"][0]["timestamp"], verified.output
