"""Scale-out: `beslut build --shard K/N` builds a stable part of the records; `beslut merge` joins
the parts into what one full build makes, byte for byte."""
from __future__ import annotations

from pathlib import Path

import pytest

from beslut.errors import UsageError
from beslut.shard import Shard, parse_shard, shard_index

from .conftest import run, write


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in (".beslut-manifest.json", ".beslut.lock")}


@pytest.mark.parametrize("n", [2, 3])
def test_shards_merged_equal_one_full_build_byte_for_byte(project, n):
    assert run("build", "-q", "--out", "full").exit_code == 0
    built = []
    for k in range(1, n + 1):
        result = run("build", "-q", "--shard", f"{k}/{n}", "--out", f"del-{k}")
        assert result.exit_code == 0, result.output
        built.append(int(result.output.split(" byggda")[0]))
    assert sum(built) == 8  # every record (and the meeting) in exactly one shard
    result = run("merge", *[f"del-{k}" for k in range(1, n + 1)], "--out", "hel")
    assert result.exit_code == 0, result.output
    assert files(project / "hel") == files(project / "full")
    assert "0 byggda, 8 oförändrade" in run("build", "-q", "--out", "hel").output  # the joined manifest holds


def test_the_partition_is_stable_and_adding_a_record_moves_only_that_record():
    ids = [f"post-{i}" for i in range(200)]
    before = {rid: shard_index(rid, 4) for rid in ids}
    after = {rid: shard_index(rid, 4) for rid in ids + ["ny-post"]}
    assert all(after[rid] == before[rid] for rid in ids)
    assert shard_index("son-2020-faltverksamhet", 4) == shard_index("son-2020-faltverksamhet", 4)
    assert {shard_index(rid, 4) for rid in ids} == {0, 1, 2, 3}  # every part gets work
    assert Shard(2, 4).holds(next(rid for rid in ids if shard_index(rid, 4) == 1))


def test_a_shard_build_removes_only_its_own_records_outputs(project):
    assert run("build", "-q").exit_code == 0
    for n in range(2, 9):  # records no meeting holds, one in this shard and one in another
        free = ["ks-2024-utlatande-omradesteam", "on-2015-182-omradesarbete-berga-lambohov",
                "son-2022-utvecklingsuppdrag-omradesteam"]
        if len({Shard(1, n).holds(rid) for rid in free}) == 2:
            break
    shard = Shard(1, n)
    mine = project / "decisions" / f"{next(r for r in free if shard.holds(r))}.yaml"
    theirs = project / "decisions" / f"{next(r for r in free if not shard.holds(r))}.yaml"
    mine.unlink()
    theirs.unlink()
    assert run("build", "-q", "--shard", str(shard)).exit_code == 0
    assert not (project / "build" / f"{mine.stem}.pdf").exists()
    assert (project / "build" / f"{theirs.stem}.pdf").exists()  # another shard's record: not this build's to remove


@pytest.mark.parametrize("text", ["0/2", "3/2", "x", "1/0", "1-2"])
def test_a_bad_shard_is_a_usage_error(project, text):
    with pytest.raises(UsageError):
        parse_shard(text)
    result = run("build", "--shard", text)
    assert result.exit_code == 2 and "skriv K/N med 1 ≤ K ≤ N" in result.stderr


def test_merge_refuses_overlapping_or_mismatched_parts(project):
    assert run("build", "-q", "--shard", "1/2", "--out", "a").exit_code == 0
    assert run("build", "-q", "--shard", "1/2", "--out", "b").exit_code == 0
    result = run("merge", "a", "b", "--out", "hel")
    assert result.exit_code == 2 and "finns i två delbyggen" in result.stderr
    assert run("build", "-q", "--shard", "2/2", "--format", "pdf", "--out", "c").exit_code == 0
    result = run("merge", "a", "c", "--out", "hel2")
    assert result.exit_code == 2 and "olika verktyg, profil, mallar eller flaggor" in result.stderr
    write(project / "inte-ett-bygge" / "x.txt", "x")
    assert run("merge", "inte-ett-bygge", "--out", "hel3").exit_code == 2
