"""Values that passed check and broke the build, paths that reached outside the project, file
names the outputs cannot carry (hardening issue, cases 10, 13, 15, 18, 20)."""
from __future__ import annotations

import os
import unicodedata

import pytest

from ..conftest import MINIMAL, run, write
from ..helpers import own_template
from ..test_check_rules import AGREEMENT


def test_bilaga_outside_the_project_is_refused(empty_project):
    for bilaga in ("/etc/hostname", "../../../../../../etc/hostname"):
        write(empty_project / "decisions" / "r.yaml", MINIMAL + f"beslutsunderlag:\n  - titel: X\n    bilaga: {bilaga}\n")
        result = run("check")
        assert result.exit_code == 1
        assert "beslutsunderlag[1].bilaga: bilagan" in result.stderr and "ligger utanför projektmappen" in result.stderr


def test_bilaga_that_is_a_fifo_is_refused_without_reading(empty_project):
    os.mkfifo(empty_project / "decisions" / "rör")
    write(empty_project / "decisions" / "r.yaml", MINIMAL + "beslutsunderlag:\n  - titel: X\n    bilaga: rör\n")
    result = run("build")  # would hang if the FIFO were opened
    assert result.exit_code == 1 and "bilagan 'rör' är ingen vanlig fil" in result.stderr


@pytest.mark.parametrize("digits", [26, 30])
def test_huge_amounts_are_refused_with_a_range(empty_project, digits):
    amount = "9" * digits
    write(empty_project / "decisions" / "u.yaml", AGREEMENT.replace("belopp_tkr_per_år: 1750", f"belopp_tkr_per_år: {amount}"))
    result = run("check")
    assert result.exit_code == 1, result.output
    assert "belopp_tkr_per_år: ska vara högst 10000000" in result.stderr


def test_very_long_file_name_is_a_problem_not_a_crash(empty_project):
    name = "a" * 240
    write(empty_project / "decisions" / f"{name}.yaml", MINIMAL)
    result = run("build")
    assert result.exit_code == 1 and "filnamnet är 240 byte; högst 200" in result.stderr
    assert "internt fel" not in result.stderr


def test_nfd_file_name_builds_with_an_nfc_id(empty_project):
    nfd = unicodedata.normalize("NFD", "förslag-å")
    write(empty_project / "decisions" / f"{nfd}.yaml", MINIMAL)
    result = run("build", "-q")
    assert result.exit_code == 0, result.output
    names = {unicodedata.normalize("NFC", p.name) for p in (empty_project / "build").iterdir()}
    assert "förslag-å.pdf" in names


def test_ids_that_differ_only_in_case_are_reported(empty_project):
    write(empty_project / "decisions" / "Beslut.yaml", MINIMAL)
    write(empty_project / "decisions" / "sub" / "beslut.yaml", MINIMAL)
    result = run("check")
    assert result.exit_code == 1 and "bara skiftläget skiljer" in result.stderr


def test_profile_is_never_a_record(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    result = run("build", ".", "-q")
    assert result.exit_code == 0, result.output
    assert "beslut.yaml" not in result.output and "1 byggda" in result.output


def test_change_in_an_included_template_rebuilds(empty_project):
    write(empty_project / "decisions" / "r.yaml", MINIMAL)
    templates = empty_project / "templates"
    (templates / "del.html.j2").write_text("<p>version 1</p>", encoding="utf-8")
    page = own_template(empty_project, "dokument.html.j2")
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "{% include 'del.html.j2' %}</body>"),
                    encoding="utf-8")
    assert run("build", "--format", "html", "-q").exit_code == 0
    (templates / "del.html.j2").write_text("<p>version 2</p>", encoding="utf-8")
    result = run("build", "--format", "html", "-q")
    assert "1 byggda" in result.output
    assert "version 2" in (empty_project / "build" / "r.html").read_text(encoding="utf-8")


def test_huge_bilaga_is_refused_without_being_read(empty_project):
    huge = empty_project / "decisions" / "stor.pdf"
    with open(huge, "wb") as handle:  # 3 GB, sparse: costs nothing to make, would cost seconds to read
        handle.truncate(3 * 1024**3)
    write(empty_project / "decisions" / "r.yaml", MINIMAL + "beslutsunderlag:\n  - titel: X\n    bilaga: stor.pdf\n")
    result = run("check")
    assert result.exit_code == 1 and "bilagan 'stor.pdf' är 3072 MiB; högst 200 MiB" in result.stderr


def test_unchanged_bilaga_is_not_read_again(empty_project):
    """A no-op build compares the bilaga's size and mtime; only a changed stat makes it hash the bytes."""
    bilaga = empty_project / "decisions" / "b.txt"
    bilaga.write_text("abc", encoding="utf-8")
    write(empty_project / "decisions" / "r.yaml", MINIMAL + "beslutsunderlag:\n  - titel: X\n    bilaga: b.txt\n")
    assert run("build", "-q").exit_code == 0
    st = bilaga.stat()
    bilaga.write_text("xyz", encoding="utf-8")  # same size, same mtime: taken as unchanged, not read
    os.utime(bilaga, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert "0 byggda, 1 oförändrade" in run("build", "-q").output
    bilaga.write_text("xyzw", encoding="utf-8")
    assert "1 byggda" in run("build", "-q").output
