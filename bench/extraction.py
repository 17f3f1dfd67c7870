"""Extraction benchmark: F1, precision, recall, time per page, and its ratio to a plain lxml parse.

Runs ``crawler.extract.extract_article`` over an article-extraction benchmark
set laid out as ``html/<key>.html.gz`` plus ``ground-truth.json`` (``{key:
{"articleBody", "url"}}``), scored with that set's own ``score.py`` (word
4-gram shingle F1, every page weighing the same). The set is third-party
data and is not shipped: point ``--dir`` at it (default: the ``shared``
folder beside this checkout, or ``$CRAWLER_EXTRACTION_BENCH``).

    python bench/extraction.py [--dir DIR] [--repeat 3] [--trafilatura]

Where the set's truth also holds title, authors and published (the fundus
corpus does), their agreement is printed as ``score.py`` computes it, and with
``--trafilatura`` trafilatura's own metadata beside it (its date is a day, so
only its day figure compares).

Times are per page, the fastest of ``--repeat`` runs, on one core; the ratio
divides the median extract time by the median time lxml takes merely to
parse the same pages, so it carries over between machines.
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

from crawler.extract import extract_article, read_page

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "extraction-bench"
DEFAULT_SCORER = Path(os.environ.get("CRAWLER_EXTRACTION_BENCH", DEFAULT_DIR)) / "score.py"


def load_scorer(folder: Path) -> ModuleType:
    """The set's ``score.py``; a corpus without one (fundus) is scored by the bench's own."""
    path = next((p for p in (folder / "score.py", DEFAULT_SCORER) if p.is_file()), None)
    spec = importlib.util.spec_from_file_location("bench_score", path) if path else None
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {folder} or at {DEFAULT_SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fastest(func: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def trafilatura_text(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False) or ""


def trafilatura_metadata(html: str, url: str) -> dict[str, object]:
    """Trafilatura's title, authors (its ``"A; B"`` split) and date (a day) for one page."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return {"title": None, "authors": [], "published": None}
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return {"title": doc.title, "authors": authors, "published": doc.date}


def metadata_line(scorer: ModuleType, truth: dict, pred: dict) -> str | None:
    """The set's metadata agreement for ``pred``, or None when its truth has no metadata."""
    lines = scorer.metadata_agreement(truth, pred)
    return "metadata  " + "  ".join(lines) if lines else None


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--dir", type=Path, default=Path(os.environ.get("CRAWLER_EXTRACTION_BENCH", DEFAULT_DIR))
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--trafilatura", action="store_true", help="also score plain trafilatura")
    args = ap.parse_args()
    if not (args.dir / "ground-truth.json").is_file():
        raise SystemExit(
            f"no benchmark set at {args.dir} (give --dir or $CRAWLER_EXTRACTION_BENCH)"
        )
    scorer = load_scorer(args.dir)
    truth = json.loads((args.dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {
        key: gzip.decompress((args.dir / "html" / f"{key}.html.gz").read_bytes()).decode(
            "utf-8", "replace"
        )
        for key in sorted(truth)
    }

    pred, parse_s, extract_s, fallbacks = {}, [], [], 0
    for key, html in pages.items():
        url = truth[key].get("url", "")
        art = extract_article(html, url=url)
        pred[key] = {
            "articleBody": art.text,
            "title": art.title,
            "authors": art.authors,
            "published": art.published,
        }
        fallbacks += read_page(html, url).fallback
        parse_s.append(fastest(lambda html=html: lxml.html.document_fromstring(html), args.repeat))
        extract_s.append(
            fastest(lambda html=html, url=url: extract_article(html, url=url), args.repeat)
        )
    result = scorer.score(truth, pred)
    parse_ms, extract_ms = 1000 * statistics.median(parse_s), 1000 * statistics.median(extract_s)
    print(
        f"pages {len(pages)}  F1 {result['f1']:.4f}  precision {result['precision']:.4f}  recall {result['recall']:.4f}"
    )
    print(
        f"median extract {extract_ms:.1f} ms/page  lxml parse {parse_ms:.1f} ms/page  ratio {extract_ms / parse_ms:.1f}x"
    )
    print(
        f"fast path {len(pages) - fallbacks}/{len(pages)} pages, trafilatura fallback {fallbacks}"
    )
    if line := metadata_line(scorer, truth, pred):
        print(line)

    if args.trafilatura:
        base = {
            k: {"articleBody": trafilatura_text(h, truth[k].get("url", ""))}
            for k, h in pages.items()
        }
        base_s = [
            fastest(lambda h=h, k=k: trafilatura_text(h, truth[k].get("url", "")), args.repeat)
            for k, h in pages.items()
        ]
        scored = scorer.score(truth, base)
        base_ms = 1000 * statistics.median(base_s)
        print(
            f"trafilatura alone: F1 {scored['f1']:.4f}  precision {scored['precision']:.4f}  "
            f"recall {scored['recall']:.4f}  {base_ms:.1f} ms/page  ratio {base_ms / parse_ms:.1f}x"
        )
        meta = {k: trafilatura_metadata(h, truth[k].get("url", "")) for k, h in pages.items()}
        if line := metadata_line(scorer, truth, meta):
            print("trafilatura " + line)


if __name__ == "__main__":
    sys.exit(main())
