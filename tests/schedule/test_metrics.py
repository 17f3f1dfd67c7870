"""The daemon's Prometheus metrics show partial runs and the items they lost."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import generate_latest

from crawler.schedule.metrics import Metrics


def test_a_partial_run_is_a_status_of_its_own_and_its_lost_items_are_counted() -> None:
    metrics = Metrics()
    metrics.started("pub")
    metrics.finished("pub", "partial", timedelta(seconds=3), {"new": 40, "lost": 10})
    metrics.started("pub")
    metrics.finished("pub", "failed", timedelta(seconds=1), {})
    text = generate_latest(metrics.registry).decode()
    assert 'crawler_runs_total{source="pub",status="partial"} 1.0' in text
    assert 'crawler_runs_total{source="pub",status="failed"} 1.0' in text
    assert 'crawler_items_lost_total{source="pub"} 10.0' in text
