from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.demo.site import DemoSite, serve


@pytest.fixture
def site() -> Iterator[DemoSite]:
    with serve(DemoSite()) as running:
        yield running
