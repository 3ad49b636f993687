"""Generate a realistic year of decisions: N records varied from the example records.

Usage: python bench/generate.py OUT [--records 500]

OUT gets beslut.yaml, templates/ and decisions/ with N valid records. Each is one of the
example records with its own id, Dnr, title and text varied, so no two documents are alike.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(out: Path, records: int = 500, seed: int = 2026) -> list[Path]:
    """Write the project and return the record paths."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "beslut.yaml", out / "beslut.yaml")
    shutil.copy(ROOT / "logotyp-exempel.png", out / "logotyp-exempel.png")  # the profile's logo
    if (out / "templates").exists():
        shutil.rmtree(out / "templates")
    shutil.copytree(ROOT / "templates", out / "templates")
    decisions = out / "decisions"
    if decisions.exists():
        shutil.rmtree(decisions)
    decisions.mkdir()
    sources = sorted((ROOT / "decisions").glob("*.yaml"))
    texts = [s.read_text(encoding="utf-8") for s in sources]
    written = []
    for i in range(records):
        k = i % len(texts)
        text = texts[k]
        number = i + 1
        text = re.sub(r"^dnr: ([A-ZÅÄÖ]+) \d{4}-\d+", rf"dnr: \g<1> 2025-{number}", text, flags=re.MULTILINE)
        text = re.sub(r"^rubrik: (.*)$", rf"rubrik: \g<1> – ärende {number}", text, count=1, flags=re.MULTILINE)
        # vary the prose: a sentence of its own in the ärende or first section
        extra = rng.choice(["Ärendet har beretts i samråd med berörda verksamheter.",
                            "Förvaltningen återkommer med en uppföljning under året.",
                            "Beslutet gäller från och med nästa kvartal.",
                            "Frågan har diskuterats i nämndens arbetsutskott."])
        text = re.sub(r"^(ärende: \|\n)", rf"\g<1>  {extra} (Ärende {number}.)\n\n", text, count=1,
                      flags=re.MULTILINE)
        text = re.sub(r"^(    text: \|\n)", rf"\g<1>      {extra}\n\n", text, count=1, flags=re.MULTILINE)
        path = decisions / f"r{i + 1:04d}-{sources[k].stem[:24]}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=500)
    args = parser.parse_args()
    paths = generate(args.out, args.records)
    print(f"{len(paths)} poster i {args.out / 'decisions'}")


if __name__ == "__main__":
    main()
