"""The cache that holds security state: rate-limit counters and used one-time codes.

Django's DatabaseCache, except that it never drops an entry before it expires. The stock backend
culls a share of *live* keys once the table passes MAX_ENTRIES, so enough other traffic would
wipe a lock-out; here only expired rows are deleted (docs/security.md).
"""

from __future__ import annotations

from django.core.cache.backends.db import DatabaseCache
from django.db import connections


class SecurityDatabaseCache(DatabaseCache):
    """A DatabaseCache whose cull removes expired entries only, never a live counter."""

    def _cull(self, db, cursor, now, num):
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        cursor.execute(
            f"DELETE FROM {table} WHERE {connection.ops.quote_name('expires')} < %s",  # noqa: S608 - our table name
            [connection.ops.adapt_datetimefield_value(now)],
        )
