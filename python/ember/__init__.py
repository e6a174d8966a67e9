"""Ember's engine inside a Python process: no server to start, no socket.

    import ember
    store = ember.Store("data")          # loads data/dump.rdb if there is one
    store.set("greeting", "hello", ttl=60)
    print(store.get("greeting"))         # b'hello'
    store.close()                        # writes data/dump.rdb, as SHUTDOWN does

ember.Store is the engine with a small, direct API; ember.Redis is a redis.Redis whose
connections run commands in the same engine instead of over a socket, so code written for
redis-py runs against it unchanged. Both run every command through ember-server's own
command table, and read and write the same RDB and AOF files.
"""

from ember._ember import ResponseError, WrongTypeError
from ember.store import Store

__all__ = ["Store", "Redis", "EmberConnection", "ResponseError", "WrongTypeError"]


def __getattr__(name):
    # The redis-py facade needs redis-py; ember.Store does not.
    if name in ("Redis", "EmberConnection"):
        from ember import client

        return getattr(client, name)
    raise AttributeError(f"module 'ember' has no attribute {name!r}")
