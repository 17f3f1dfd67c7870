"""The plain baseline ``bench/crawl.py`` compares against: one article after another.

    python bench/baseline.py URLS_FILE DB_FILE

requests (one keep-alive session), trafilatura for title and text, sqlite3
for storage, committing every 50 articles as the crawl's store does. No
discovery: it is handed the article URLs, which only flatters it.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import UTC, datetime

import requests
import trafilatura


def main(urls_file: str, db_file: str) -> None:
    db = sqlite3.connect(db_file)
    db.execute(
        "CREATE TABLE articles (url TEXT PRIMARY KEY, title TEXT, text TEXT, fetched_at TEXT)"
    )
    session = requests.Session()
    urls = open(urls_file).read().split()  # noqa: PTH123, SIM115 - a plain script
    for i, url in enumerate(urls, 1):
        html = session.get(url, timeout=30).text
        doc = json.loads(
            trafilatura.extract(html, url=url, output_format="json", with_metadata=True)
        )
        db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)",
            (url, doc.get("title"), doc.get("text"), datetime.now(UTC).isoformat()),
        )
        if i % 50 == 0:
            db.commit()
    db.commit()
    stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    if stored != len(urls):
        raise SystemExit(f"baseline stored {stored} of {len(urls)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
