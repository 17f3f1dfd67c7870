"""Prometheus metrics of the daemon (``--metrics-port``): runs, their outcome, duration and counts.

Each run's outcome is a ``status`` label of ``crawler_runs_total``: ``ok``,
``partial`` (items lost, also counted in ``crawler_items_lost_total``),
``failed``, ``timed_out``, ``stopped``.
"""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server

# Crawl summary counts exported as counters, under these metric names.
COUNTED = {
    "new": "crawler_articles_new_total",
    "changed": "crawler_versions_new_total",
    "not_modified": "crawler_not_modified_total",
    "gone": "crawler_articles_gone_total",
    "errors": "crawler_errors_total",
    "lost": "crawler_items_lost_total",  # fetched but not stored: the run is "partial"
}


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.runs = Counter(
            "crawler_runs_total", "Crawl runs by outcome", ["source", "status"], registry=r
        )
        self.skips = Counter(
            "crawler_runs_skipped_total",
            "Ticks skipped: the last run was still going",
            ["source"],
            registry=r,
        )
        self.running = Gauge("crawler_running_crawls", "Crawls running now", registry=r)
        self.last_end = Gauge(
            "crawler_last_run_end_timestamp_seconds",
            "When the last run of a source ended",
            ["source"],
            registry=r,
        )
        self.last_duration = Gauge(
            "crawler_last_run_duration_seconds",
            "How long the last run of a source took",
            ["source"],
            registry=r,
        )
        self.counts = {
            key: Counter(name, f"Crawl summary count '{key}'", ["source"], registry=r)
            for key, name in COUNTED.items()
        }

    def serve(self, port: int, host: str = "127.0.0.1") -> None:
        start_http_server(port, addr=host, registry=self.registry)

    def started(self, source: str) -> None:
        self.running.inc()

    def skipped(self, source: str) -> None:
        self.skips.labels(source).inc()

    def finished(self, source: str, status: str, took: timedelta, counts: dict[str, int]) -> None:
        self.running.dec()
        self.runs.labels(source, status).inc()
        self.last_end.labels(source).set_to_current_time()
        self.last_duration.labels(source).set(took.total_seconds())
        for key, counter in self.counts.items():
            counter.labels(source).inc(counts.get(key, 0))
