"""The AutoThrottle we run: a 304 may lower the delay as a 200 does; errors still may not."""

from __future__ import annotations

import pytest
from scrapy.core.downloader import Slot
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.crawl.throttle import RevisitAutoThrottle


@pytest.mark.parametrize(
    ("status", "lowers"), [(200, True), (304, True), (404, False), (503, False)]
)
def test_a_fast_304_lowers_the_delay_like_a_200_and_errors_do_not(
    status: int, lowers: bool
) -> None:
    throttle = RevisitAutoThrottle(
        get_crawler(
            settings_dict={"AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_TARGET_CONCURRENCY": 4.0}
        )
    )
    throttle.mindelay, throttle.maxdelay = 0.0, 60.0
    slot = Slot(concurrency=4, delay=1.0)
    throttle._adjust_delay(slot, 0.01, Response("http://pub.example/a", status=status))
    assert (slot.delay < 1.0) is lowers
