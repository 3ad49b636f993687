"""A hostile or careless beslut.yaml: a backtracking Dnr pattern, a bad logo, a personnummer.

Each test writes a tiny real profile (and real image files) into a folder and asserts both what
``load_profile`` raises and what ``beslut check`` says: exit code 1 and the line of the value.
"""
from __future__ import annotations

import io
import os
import re
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from beslut.errors import RecordError
from beslut.profile import MAX_DNR_LENGTH, MAX_LOGO_BYTES, load_profile

from ..conftest import run

DNR_LINE = "dnr_mönster: '^[A-ZÅÄÖ]{1,5} \\d{4}-\\d{1,5}$'"


def _line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of ``path`` that contains ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} saknas i {path}")


def _append(profile: Path, line: str) -> int:
    """Add one top-level line to the profile (replacing the example's own logo line); returns its line number."""
    text = re.sub(r"(?m)^logotyp: .*\n", "", profile.read_text(encoding="utf-8"))
    profile.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def _set_dnr(profile: Path, pattern: str) -> int:
    """Replace the Dnr pattern; returns the line it is on."""
    text = profile.read_text(encoding="utf-8")
    assert DNR_LINE in text
    profile.write_text(text.replace(DNR_LINE, f"dnr_mönster: '{pattern}'"), encoding="utf-8")
    return _line_of(profile, "dnr_mönster:")


def _problems(profile: Path) -> list[str]:
    with pytest.raises(RecordError) as info:
        load_profile(profile)
    return [p.format() for p in info.value.problems]


def _check_fails_with(line: int, field: str, message: str) -> None:
    """``beslut check`` in the current project exits 1 naming the profile's line, field and message."""
    result = run("check")
    assert result.exit_code == 1, result.output
    assert f"beslut.yaml:{line}:" in result.stderr and f"{field}: " in result.stderr, result.stderr
    assert message in result.stderr, result.stderr


def _png(width: int = 64, height: int = 64) -> bytes:
    """A real PNG; noise, so that its compressed data is long enough to cut in half."""
    buf = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buf, "PNG")
    return buf.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG claiming ``width``×``height`` pixels: what a decompression bomb looks like to the header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


# -- 1. dnr_mönster -------------------------------------------------------------------------------

def test_backtracking_pattern_is_refused_at_load_with_its_line(empty_project):
    profile = empty_project / "beslut.yaml"
    line = _set_dnr(profile, "^(A|AA)+$")
    started = time.monotonic()
    problems = _problems(profile)
    assert time.monotonic() - started < 5
    assert any(f"beslut.yaml:{line}:" in p and "dnr_mönster:" in p and "för lång tid" in p for p in problems), problems
    _check_fails_with(line, "dnr_mönster", "för lång tid")


def test_backtracking_pattern_behind_a_literal_prefix_is_refused_too(empty_project):
    # an anchored prefix keeps plain "AAAA…!" probes from ever reaching the nested repetition
    profile = empty_project / "beslut.yaml"
    line = _set_dnr(profile, "^SON (\\d|\\d\\d)+$")
    assert any(f"beslut.yaml:{line}:" in p and "för lång tid" in p for p in _problems(profile))


def test_nested_plus_from_the_report_neither_hangs_nor_matches(empty_project):
    profile = empty_project / "beslut.yaml"
    _set_dnr(profile, "^(A+)+$")
    loaded = load_profile(profile)
    started = time.monotonic()
    assert loaded.dnr_matches("A" * 30 + "!") is False
    assert loaded.dnr_matches("AAAA") is True
    assert time.monotonic() - started < 2


def test_dnr_matches_searches_like_re_and_refuses_overlong_values(project):
    loaded = load_profile(project / "beslut.yaml")
    assert loaded.dnr_matches("SON 2024-12") and not loaded.dnr_matches("SON 2024/12")
    plain = load_profile(_copy_with_dnr(project, "A+"))
    assert plain.dnr_matches("xAx")  # searched, not matched from the start, as validate.py did
    assert not plain.dnr_matches("A" * (MAX_DNR_LENGTH + 1))


def _copy_with_dnr(project: Path, pattern: str) -> Path:
    other = project / "annan"
    other.mkdir()
    (other / "beslut.yaml").write_text((project / "beslut.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (other / "logotyp-exempel.png").write_bytes((project / "logotyp-exempel.png").read_bytes())
    _set_dnr(other / "beslut.yaml", pattern)
    return other / "beslut.yaml"


def test_pattern_that_slips_past_the_probe_times_out_as_a_profile_problem(project):
    profile = project / "beslut.yaml"
    line = _line_of(profile, "dnr_mönster:")
    loaded = load_profile(profile)
    # as if the probe had missed it: same file and line, a pattern that backtracks for ever
    hostile = loaded.model_copy(update={"dnr_mönster": "^(A|AA)+$"})
    started = time.monotonic()
    with pytest.raises(RecordError) as info:
        hostile.dnr_matches("A" * 60 + "!")
    assert time.monotonic() - started < 5
    [problem] = info.value.problems
    assert problem.path == profile.resolve() and problem.line == line and problem.field == "dnr_mönster"
    assert "för lång tid" in problem.message or "tog över" in problem.message


def test_pattern_that_does_not_compile_is_still_refused(empty_project):
    profile = empty_project / "beslut.yaml"
    line = _set_dnr(profile, "^(SON")
    assert any(f"beslut.yaml:{line}:" in p and "inte ett giltigt reguljärt uttryck" in p for p in _problems(profile))
    _check_fails_with(line, "dnr_mönster", "inte ett giltigt reguljärt uttryck")


# -- 2. logotyp -----------------------------------------------------------------------------------

def test_sound_png_and_jpeg_logos_load(empty_project):
    (empty_project / "logo.png").write_bytes(_png())
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buf, "JPEG")
    (empty_project / "logo.jpg").write_bytes(buf.getvalue())
    profile = empty_project / "beslut.yaml"
    text = re.sub(r"(?m)^logotyp: .*\n", "", profile.read_text(encoding="utf-8"))
    for name in ("logo.png", "logo.jpg"):
        profile.write_text(text + f"logotyp: {name}\n", encoding="utf-8")
        assert load_profile(profile).logo == (empty_project / name).resolve()
    assert run("check").exit_code == 0


def test_truncated_png_is_refused(empty_project):
    data = _png()
    (empty_project / "logo.png").write_bytes(data[: len(data) // 2])  # the PNG signature survives
    line = _append(empty_project / "beslut.yaml", "logotyp: logo.png")
    assert any(f"beslut.yaml:{line}:" in p and "logotyp:" in p and "avkortad" in p
               for p in _problems(empty_project / "beslut.yaml"))
    _check_fails_with(line, "logotyp", "trasig eller avkortad")


def test_png_with_a_broken_checksum_is_refused(empty_project):
    data = bytearray(_png())
    data[-20] ^= 0xFF  # inside the last IDAT chunk (IEND is the final 12 bytes): its CRC no longer holds
    (empty_project / "logo.png").write_bytes(bytes(data))
    line = _append(empty_project / "beslut.yaml", "logotyp: logo.png")
    _check_fails_with(line, "logotyp", "trasig eller avkortad")


def test_20000_by_20000_logo_is_refused_before_decoding(empty_project):
    (empty_project / "logo.png").write_bytes(_png_header_only(20000, 20000))
    line = _append(empty_project / "beslut.yaml", "logotyp: logo.png")
    started = time.monotonic()
    problems = _problems(empty_project / "beslut.yaml")
    assert time.monotonic() - started < 2  # refused from the header: 400 Mpx are never decoded
    assert any(f"beslut.yaml:{line}:" in p and "4000×4000" in p for p in problems), problems
    _check_fails_with(line, "logotyp", "4000×4000")


def test_logo_too_wide_though_few_pixels_is_refused(empty_project):
    (empty_project / "logo.png").write_bytes(_png(4001, 2))
    line = _append(empty_project / "beslut.yaml", "logotyp: logo.png")
    _check_fails_with(line, "logotyp", "4001×2 bildpunkter; högst 4000×4000")


def test_other_image_format_is_refused(empty_project):
    Image.new("RGB", (8, 8)).save(empty_project / "logo.gif", "GIF")
    line = _append(empty_project / "beslut.yaml", "logotyp: logo.gif")
    _check_fails_with(line, "logotyp", "ska vara en PNG- eller JPEG-bild")


def test_oversized_logo_file_is_refused_by_its_size(empty_project):
    logo = empty_project / "logo.png"
    with logo.open("wb") as fh:  # sparse: a valid-looking signature, then 5 MB of nothing
        fh.write(_png())
        fh.truncate(MAX_LOGO_BYTES + 1)
    line = _append(empty_project / "beslut.yaml", "logotyp: logo.png")
    _check_fails_with(line, "logotyp", f"högst {MAX_LOGO_BYTES} tillåts")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFO saknas på plattformen")
def test_fifo_logo_is_refused_without_reading(empty_project):
    os.mkfifo(empty_project / "logo.png")  # reading it would block for ever
    line = _append(empty_project / "beslut.yaml", "logotyp: logo.png")
    _check_fails_with(line, "logotyp", "ingen vanlig fil")


def test_device_logo_is_refused_without_reading(empty_project):
    if not Path("/dev/zero").exists():
        pytest.skip("/dev/zero saknas")
    (empty_project / "logo.png").symlink_to("/dev/zero")
    line = _append(empty_project / "beslut.yaml", "logotyp: logo.png")
    # outside the folder once resolved: refused before stat could even see a device
    _check_fails_with(line, "logotyp", "ska ligga i mappen med beslut.yaml")


def test_symlink_out_of_the_profile_folder_is_refused(empty_project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("utanfor") / "logo.png"
    outside.write_bytes(_png())
    (empty_project / "bilder").mkdir()
    (empty_project / "bilder" / "logo.png").symlink_to(outside)
    line = _append(empty_project / "beslut.yaml", "logotyp: bilder/logo.png")
    _check_fails_with(line, "logotyp", "ska ligga i mappen med beslut.yaml")
    (empty_project / "beslut.yaml").write_text(
        (empty_project / "beslut.yaml").read_text(encoding="utf-8").replace("bilder/logo.png", "../utanfor/logo.png"),
        encoding="utf-8")
    _check_fails_with(line, "logotyp", "ska ligga i mappen med beslut.yaml")


def test_symlink_loop_is_refused(empty_project):
    (empty_project / "a.png").symlink_to(empty_project / "b.png")
    (empty_project / "b.png").symlink_to(empty_project / "a.png")
    line = _append(empty_project / "beslut.yaml", "logotyp: a.png")
    result = run("check")
    assert result.exit_code == 1 and f"beslut.yaml:{line}:" in result.stderr and "logotyp:" in result.stderr


# -- 3. personnummer ------------------------------------------------------------------------------

@pytest.mark.parametrize("old,new", [
    ("kommun: Linköpings kommun", "kommun: Linköpings kommun 19121212-1212"),
    ("sidfot: []", "sidfot: [Stadshuset, 'Kontakt 121212-1212']"),
    ("namn: Kommunstyrelsen", "namn: Kommunstyrelsen 701063-2391"),
    ("  - Kultur- och fritidsförvaltningen", "  - Kultur- och fritidsförvaltningen 191212121212"),
])
def test_personnummer_anywhere_in_the_profile_is_an_error_at_its_line(empty_project, old, new):
    profile = empty_project / "beslut.yaml"
    text = profile.read_text(encoding="utf-8")
    assert old in text
    profile.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = _line_of(profile, new.strip())
    problems = _problems(profile)
    assert any(f"beslut.yaml:{line}:" in p and "nummer (" in p for p in problems), problems
    assert not any(new.split()[-1].strip("'[]") in p for p in problems)  # the full number is not repeated
    _check_fails_with(line, "", "personnummer" if "2391" not in new else "samordningsnummer")


def test_personnummer_is_reported_together_with_other_profile_errors(empty_project):
    profile = empty_project / "beslut.yaml"
    text = profile.read_text(encoding="utf-8").replace("ort: Linköping\n", "")
    profile.write_text(text.replace("sidfot: []", "sidfot: ['19121212-1212']"), encoding="utf-8")
    problems = _problems(profile)
    assert any("personnummer" in p for p in problems) and any("'ort' saknas" in p for p in problems), problems
