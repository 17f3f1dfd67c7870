"""Extraction benchmark: body F1 per corpus beside trafilatura, metadata agreement, speed.

Each corpus is scored on its own row, never pooled, so a rule that helps one
corpus and hurts another shows (the project keeps a rule only when no corpus
gets worse):

- ``dev``: the dev half of the scrapinghub article-extraction benchmark
  (``../shared/extraction-bench``, or ``$CRAWLER_EXTRACTION_BENCH``);
- ``fundus``: news pages of many publishers and languages with fundus's
  expected values (``../shared/extraction-corpora/fundus``);
- ``fixtures``: the project's own pages (``tests/fixtures/pages`` and
  ``tests/fixtures/noise``), written for this project.

Both third-party corpora are read where they are (``shared/`` beside this
checkout, or ``$CRAWLER_SHARED``) and never shipped; a missing one is
skipped with a note. Pages are scored with the benchmark's
own ``score.py`` (word 4-gram shingle F1, every page weighing the same; it
also prints title, authors and date agreement where a corpus has them).

    python bench/extraction.py [--repeat 3] [--no-trafilatura]

Times are CPU time per page, the least of ``--repeat`` runs; the ratio divides
the median extract time by the median time lxml takes merely to parse the
same pages, so it carries over between machines.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import lxml.html

from crawler.extract import extract_article

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CRAWLER_SHARED", ROOT.parent / "shared"))
BENCH_DIR = Path(os.environ.get("CRAWLER_EXTRACTION_BENCH", SHARED / "extraction-bench"))
FUNDUS_DIR = SHARED / "extraction-corpora" / "fundus"
FIXTURE_DIRS = (ROOT / "tests" / "fixtures" / "pages", ROOT / "tests" / "fixtures" / "noise")

Corpus = dict[str, dict]  # key -> {"html", "url", "articleBody", and title/authors/published}


def load_scorer(folder: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_score", folder / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {folder}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def benchmark_corpus(folder: Path) -> Corpus:
    """A corpus in the extraction-bench layout: ``html/<key>.html.gz`` and ``ground-truth.json``."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return {
        key: {
            **truth[key],
            "html": gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()).decode(
                "utf-8", "replace"
            ),
        }
        for key in sorted(truth)
    }


def fixture_corpus(folders: tuple[Path, ...]) -> Corpus:
    """The project's own pages: ``<name>.html`` with ``<name>.json`` (url, title, paragraphs ...)."""
    corpus: Corpus = {}
    for folder in folders:
        for page in sorted(folder.glob("*.html")):
            expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
            corpus[f"{folder.name}/{page.stem}"] = {
                "html": page.read_text(encoding="utf-8"),
                "url": expected["url"],
                "articleBody": "\n".join(expected["paragraphs"]),
                "title": expected["title"],
                **{k: expected[k] for k in ("authors", "published") if k in expected},
            }
    return corpus


def fastest(func: Callable[[], object], repeat: int) -> float:
    """The least CPU time (s) of ``repeat`` calls: CPU, not wall, so a busy machine counts less."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best


def trafilatura_text(html: str, url: str, *, fast: bool) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, fast=fast) or ""


def ours(html: str, url: str) -> dict:
    art = extract_article(html, url=url)
    published = art.published.isoformat() if art.published else None
    return {
        "articleBody": art.text,
        "title": art.title,
        "authors": art.authors,
        "published": published,
    }


def score_row(scorer: ModuleType, corpus: Corpus, pred: dict) -> str:
    result = scorer.score(corpus, pred)
    return f"F1 {result['f1']:.3f}  P {result['precision']:.3f}  R {result['recall']:.3f}"


def run(name: str, corpus: Corpus, scorer: ModuleType, args: argparse.Namespace) -> None:
    pred = {k: ours(p["html"], p.get("url", "")) for k, p in corpus.items()}
    print(f"\n{name} ({len(corpus)} pages)")
    print(f"  crawler                 {score_row(scorer, corpus, pred)}")
    meta = scorer.metadata_agreement(corpus, pred)
    if meta:
        print("  crawler metadata        " + "  ".join(meta))
    if args.trafilatura:
        for fast in (False, True):
            base = {
                k: {"articleBody": trafilatura_text(p["html"], p.get("url", ""), fast=fast)}
                for k, p in corpus.items()
            }
            label = "trafilatura fast" if fast else "trafilatura"
            print(f"  {label:<23} {score_row(scorer, corpus, base)}")
    if args.repeat:
        parse_s, extract_s = [], []
        for p in corpus.values():
            html, url = p["html"], p.get("url", "")
            parse_s.append(fastest(lambda h=html: lxml.html.document_fromstring(h), args.repeat))
            extract_s.append(fastest(lambda h=html, u=url: extract_article(h, url=u), args.repeat))
        parse_ms = 1000 * statistics.median(parse_s)
        extract_ms = 1000 * statistics.median(extract_s)
        print(
            f"  median extract {extract_ms:.2f} ms/page, lxml parse {parse_ms:.2f} ms/page, "
            f"ratio {extract_ms / parse_ms:.1f}x"
        )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeat", type=int, default=3, help="timing runs per page (0: no timing)")
    ap.add_argument(
        "--no-trafilatura", dest="trafilatura", action="store_false", help="skip trafilatura"
    )
    args = ap.parse_args()
    if not (BENCH_DIR / "score.py").is_file():
        raise SystemExit(
            f"no scorer at {BENCH_DIR / 'score.py'} (the shared extraction bench; "
            "set $CRAWLER_EXTRACTION_BENCH)"
        )
    scorer = load_scorer(BENCH_DIR)
    run("dev", benchmark_corpus(BENCH_DIR), scorer, args)
    if (FUNDUS_DIR / "ground-truth.json").is_file():
        run("fundus", benchmark_corpus(FUNDUS_DIR), scorer, args)
    else:
        print(f"\nfundus: skipped, no corpus at {FUNDUS_DIR}")
    run("fixtures", fixture_corpus(FIXTURE_DIRS), scorer, args)


if __name__ == "__main__":
    sys.exit(main())
