"""ember.Redis: redis-py's client over an in-process Ember engine.

Each connection of the pool is an ember._ember.Connection: a socket-like object whose bytes
go to the engine's RESP parser and dispatcher, exactly as ember-server's connections do, and
whose replies redis-py's own parser reads. So pipelines, MULTI/EXEC, WATCH, pub/sub and
blocking commands behave as they do against ember-server:
- a blocking command (BLPOP...) waits until another thread's command serves it, or until
  its timeout; waiting releases the GIL.
- SUBSCRIBE works within the process: messages published by any client of the same store
  arrive on the subscriber's connection.
- Replication (REPLICAOF) and anything else that needs a network peer is refused by the
  engine as the server would refuse it without one.
"""

import redis
from redis.connection import Connection, ConnectionPool

from ember import _ember
from ember.store import Store


class EmberConnection(Connection):
    """A redis-py Connection whose socket is the engine itself."""

    def __init__(self, store, **kwargs):
        self.store = store
        super().__init__(**kwargs)

    def _connect(self):
        return _ember.Connection(self.store._engine)

    def _error_message(self, exception):
        return f"Error connecting to the in-process Ember store: {exception}"

    def repr_pieces(self):
        return [("store", self.store), ("db", self.db)]


class Redis(redis.Redis):
    """redis.Redis on an ember.Store (a new memory-only one unless `store` is given; several
    clients may share one store, as several clients share one server)."""

    def __init__(self, store=None, *, db=0, password=None, username=None,
                 decode_responses=False, encoding="utf-8", encoding_errors="strict",
                 client_name=None, single_connection_client=False, health_check_interval=0,
                 max_connections=None):
        self.store = store if store is not None else Store()
        pool = ConnectionPool(
            connection_class=EmberConnection,
            max_connections=max_connections,
            store=self.store,
            db=db,
            password=password,
            username=username,
            decode_responses=decode_responses,
            encoding=encoding,
            encoding_errors=encoding_errors,
            client_name=client_name,
            health_check_interval=health_check_interval,
        )
        super().__init__(connection_pool=pool,
                         single_connection_client=single_connection_client)
