"""ember.Store: an in-process Ember keyspace with a direct, redis-py-like API."""

import datetime
import os
import weakref

from ember import _ember


def _close_quietly(engine):
    if not engine.closed:
        try:
            engine.close()
        except _ember.ResponseError:
            pass  # the engine logged why; nothing is left to tell at exit


def _milliseconds(value):
    """A TTL given as seconds (int or float) or a timedelta, in whole milliseconds."""
    if isinstance(value, datetime.timedelta):
        return int(value.total_seconds() * 1000)
    return int(value * 1000)


class Store:
    """One Ember engine in this process.

    With `path`, the store opens (creating it if needed) that directory as ember-server's
    `dir`: it loads `dump.rdb` there (or the AOF directory, when `appendonly`) exactly as the
    server does at startup, keeps Redis's default save points, and `save()` / `close()` write
    a dump that ember-server and redis-server 7.0 load. Without `path` the data lives in
    memory only, and commands that would write files are refused.

    `config` takes any other ember-server setting by its Redis name, e.g.
    {"hz": 100, "save": "60 1"}. Keys and values are bytes; str is encoded as UTF-8. Redis's
    error replies raise ResponseError (WrongTypeError for WRONGTYPE) with Redis's text.

    Thread-safe: one lock guards the engine, and a thread waiting for it releases the GIL.
    Keys expire when read and, `hz` times a second, from a background thread.
    """

    def __init__(self, path=None, *, databases=16, maxmemory=None,
                 maxmemory_policy="noeviction", appendonly=False, appendfsync="everysec",
                 config=None):
        if appendonly and path is None:
            raise ValueError("appendonly needs a path: the AOF lives in the data directory")
        settings = {
            "databases": databases,
            "maxmemory-policy": maxmemory_policy,
            "appendonly": "yes" if appendonly else "no",
            "appendfsync": appendfsync,
            "loglevel": "warning",
        }
        if maxmemory is not None:
            settings["maxmemory"] = maxmemory
        for name, value in (config or {}).items():
            settings[name.replace("_", "-")] = value
        argv = []
        for name, value in settings.items():
            argv += ["--" + name, str(value)]
        self.path = None if path is None else os.fspath(path)
        self._engine = _ember.Engine(argv, self.path)
        # A store dropped or left open at interpreter exit closes as a server does on
        # SIGTERM: the AOF flushed, the dump written when save points are configured.
        self._finalizer = weakref.finalize(self, _close_quietly, self._engine)

    # Any command, as redis-cli would send it; the reply as Python values.
    def execute(self, *args):
        return self._engine.execute(*args)

    def set(self, key, value, ttl=None, px=None, nx=False, xx=False, keepttl=False):
        """SET; `ttl` in seconds (int, float or timedelta), `px` in milliseconds. True when
        set, None when NX or XX prevented it."""
        args = [b"SET", key, value]
        if ttl is not None:
            if isinstance(ttl, int) and not isinstance(ttl, bool):
                args += [b"EX", ttl]
            else:
                args += [b"PX", _milliseconds(ttl)]
        if px is not None:
            args += [b"PX", _milliseconds(px) if isinstance(px, datetime.timedelta) else px]
        if nx:
            args.append(b"NX")
        if xx:
            args.append(b"XX")
        if keepttl:
            args.append(b"KEEPTTL")
        return True if self._engine.execute(*args) is not None else None

    def get(self, key):
        return self._engine.execute(b"GET", key)

    def delete(self, *keys):
        return self._engine.execute(b"DEL", *keys)

    def exists(self, *keys):
        return self._engine.execute(b"EXISTS", *keys)

    def ttl(self, key):
        """Seconds left; -1 without a TTL, -2 when the key does not exist (Redis's TTL)."""
        return self._engine.execute(b"TTL", key)

    def pttl(self, key):
        return self._engine.execute(b"PTTL", key)

    def expire(self, key, seconds):
        if isinstance(seconds, datetime.timedelta):
            return self._engine.execute(b"PEXPIRE", key, _milliseconds(seconds)) == 1
        return self._engine.execute(b"EXPIRE", key, seconds) == 1

    def persist(self, key):
        return self._engine.execute(b"PERSIST", key) == 1

    def keys(self, pattern="*"):
        return self._engine.execute(b"KEYS", pattern)

    def scan_iter(self, match=None, count=None):
        """Every key (matching `match`), by SCAN: keys added or removed meanwhile may or may
        not appear, as with SCAN itself."""
        options = []
        if match is not None:
            options += [b"MATCH", match]
        if count is not None:
            options += [b"COUNT", count]
        cursor = b"0"
        while True:
            cursor, keys = self._engine.execute(b"SCAN", cursor, *options)
            yield from keys
            if cursor == b"0":
                return

    def incr(self, key, amount=1):
        return self._engine.execute(b"INCRBY", key, amount)

    def incrby(self, key, amount=1):
        return self._engine.execute(b"INCRBY", key, amount)

    def decr(self, key, amount=1):
        return self._engine.execute(b"DECRBY", key, amount)

    def mget(self, keys, *args):
        names = [keys] if isinstance(keys, (bytes, str)) else list(keys)
        return self._engine.execute(b"MGET", *names, *args)

    def mset(self, mapping):
        args = [b"MSET"]
        for key, value in mapping.items():
            args += [key, value]
        return self._engine.execute(*args) == b"OK"

    def flushdb(self):
        return self._engine.execute(b"FLUSHDB") == b"OK"

    def flushall(self):
        return self._engine.execute(b"FLUSHALL") == b"OK"

    def dbsize(self):
        return self._engine.execute(b"DBSIZE")

    def select(self, db):
        """Switches this store's direct calls to database `db`."""
        return self._engine.execute(b"SELECT", db) == b"OK"

    def save(self):
        """Writes `path`/dump.rdb now (SAVE)."""
        return self._engine.execute(b"SAVE") == b"OK"

    def close(self, save=None):
        """Closes the store as SHUTDOWN does: the AOF is flushed, and the dump is written when
        `save` is True, or by default when save points are configured (they are, with a path,
        unless `config` set "save" to ""). Later calls raise. A failed save raises and leaves
        the store open."""
        self._engine.close(save)

    @property
    def closed(self):
        return self._engine.closed

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if not self._engine.closed:
            self.close()

    def __repr__(self):
        where = self.path if self.path is not None else "memory"
        return f"<ember.Store {where}{' closed' if self.closed else ''}>"
