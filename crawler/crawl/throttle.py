"""AutoThrottle that counts a 304 as the healthy answer it is, and never goes below a Crawl-delay.

Scrapy's AutoThrottle never lets a non-200 response lower the download delay,
because error pages are small and fast and would talk it into speeding up.
A 304 is different: it is the server saying "unchanged" to a conditional GET,
and on a revisit crawl nearly every answer is one. Treated as an error, the
delay can only ratchet up (for instance from one slow answer while the crawl
starts) and a revisit of an unchanged site runs at that worst pace to the end.

A host whose robots.txt asks for a Crawl-delay has it as its slot's delay in
``DOWNLOAD_SLOTS`` (set by :mod:`crawler.middlewares.robots`); AutoThrottle
may raise a slot's delay above that, never lower it below.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

from scrapy.extensions.throttle import AutoThrottle

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.core.downloader import Slot
    from scrapy.http import Response


# All that Scrapy's delay policy reads of a response is its status. A 304 is
# shown to it as this rather than as ``response.replace(status=200)``, which
# copied the whole response and cost 4% of a revisit's reactor.
_HEALTHY = cast("Response", SimpleNamespace(status=200))


class RevisitAutoThrottle(AutoThrottle):
    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        super()._adjust_delay(slot, latency, _HEALTHY if response.status == 304 else response)

    def _response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        super()._response_downloaded(response, request, spider)
        key, slot = self._get_slot(request, spider)
        if key is None or slot is None:
            return
        assert self.crawler.engine is not None
        floor = self.crawler.engine.downloader.per_slot_settings.get(key, {}).get("delay", 0.0)
        slot.delay = max(slot.delay, floor)
