"""Exactly one scheduling daemon: a PostgreSQL advisory lock held on a connection of its own.

Several daemons may run for availability; the one holding the lock schedules,
the others wait. The lock is the connection's: when the leader's process dies
(even by ``kill -9``) its connection closes and the server releases the lock,
and a standby trying every quarter of ``leader_takeover`` takes it. The
server is told to probe an idle client every quarter too, so a leader whose
machine vanished is also let go in time. A leader that cannot reach its lock
connection stops scheduling at once (its caller exits), so two never schedule
together.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import psycopg
from sqlalchemy.engine import make_url

from crawler.store.locks import ADVISORY_KEY

logger = logging.getLogger("crawler.daemon")
LOCK_NAME = "crawler leader"


class LeadershipLostError(Exception):
    """The leader's lock connection failed: it must stop scheduling."""


def libpq_url(db_url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as libpq takes it (options such as a search_path kept)."""
    return make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)


class Leadership:
    def __init__(self, db_url: str, takeover: timedelta) -> None:
        self.url = libpq_url(db_url)
        self.poll_s = max(0.5, takeover.total_seconds() / 4)
        self.conn: psycopg.AsyncConnection[object] | None = None

    async def _connect(self) -> psycopg.AsyncConnection[object]:
        probe = max(1, int(self.poll_s))
        return await psycopg.AsyncConnection.connect(
            self.url,
            autocommit=True,
            keepalives=1,
            keepalives_idle=probe,
            keepalives_interval=probe,
            keepalives_count=2,
        )

    async def acquire(self) -> None:
        """Return once this process leads; until then, try again every poll."""
        waited = False
        while True:
            try:
                self.conn = self.conn or await self._connect()
                row = await (
                    await self.conn.execute(
                        f"SELECT pg_try_advisory_lock({ADVISORY_KEY.replace(':name', '%(name)s')})",
                        {"name": LOCK_NAME},
                    )
                ).fetchone()
                if row and row[0]:
                    logger.info("leader: this daemon schedules now")
                    return
            except psycopg.Error as exc:
                logger.warning("leader election: %s", exc)
                self.conn = None
            if not waited:
                logger.info("standby: another daemon leads; trying every %.1fs", self.poll_s)
                waited = True
            await asyncio.sleep(self.poll_s)

    async def hold(self) -> None:
        """Check the lock's connection every poll; raise :class:`LeadershipLostError` when it fails."""
        assert self.conn is not None
        while True:
            await asyncio.sleep(self.poll_s)
            try:
                await self.conn.execute("SELECT 1")
            except psycopg.Error as exc:
                raise LeadershipLostError(f"lost the leader lock's connection: {exc}") from exc

    async def close(self) -> None:
        if self.conn is not None:
            await self.conn.close()
