"""Property tests: no input makes check or the renderers raise; typed prose comes out literally."""
from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from beslut.compose import compose  # noqa: E402
from beslut.produce import check_source  # noqa: E402
from beslut.project import Project  # noqa: E402
from beslut.records import load_record  # noqa: E402
from beslut.render.docx import render_docx  # noqa: E402
from beslut.render.html import render_html  # noqa: E402

from ..conftest import MINIMAL, ROOT  # noqa: E402
from ..helpers import docx_body_text  # noqa: E402

PROJECT = Project.open(ROOT)
PROFILE = PROJECT.profile
TEMPLATES = ROOT / "templates"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_give_problems_not_exceptions(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "r.yaml"
    path.write_bytes(data)
    _, problems, _ = check_source(path, PROJECT)  # must not raise
    for problem in problems:
        assert problem.path == path and problem.line >= 1


# prose a case officer might paste: letters, punctuation, markup of every engine, emoji
PROSE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
                min_size=1, max_size=200).map(str.strip).filter(lambda t: t and not t.startswith(("-", "#", ">", "*")))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(PROSE)
def test_typed_titles_come_out_literally(tmp_path_factory, title):
    folder = tmp_path_factory.mktemp("lit")
    path = folder / "r.yaml"
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    path.write_text(MINIMAL.replace("rubrik: Ett litet ärende", f"rubrik: {quoted}"), encoding="utf-8")
    record, problems = load_record(path)
    if record is None:  # e.g. invisible characters only: a clean problem is an answer too
        assert problems
        return
    doc = compose(record, PROFILE)
    expected = doc.title
    assert str(escape(expected)) in render_html(doc, TEMPLATES, path).decode("utf-8")
    out = folder / "r.docx"
    out.write_bytes(render_docx(doc, TEMPLATES, path))
    assert expected in docx_body_text(Path(out))
