"""redis-py's Sentinel support (Debian's python3-redis) follows a failover of Ember.

Environment: EMBER_SENTINEL_PORTS (comma-separated ports of the sentinels on 127.0.0.1),
EMBER_SENTINEL_MASTER (the monitored name) and EMBER_PRIMARY_PID (the Ember primary's PID).

Through redis.sentinel.Sentinel the script finds the master and a replica, writes a key on the
master (confirmed by WAIT) and reads it back from the replica, then kills the primary with
SIGKILL. It retries a write through the same master_for() client until it succeeds, for at
most FAILOVER_LIMIT seconds; that write must have reached a different master, which holds the
first key and answers ROLE as a master. Prints "NEW_MASTER host:port" and exits 0, or exits
non-zero with the reason.

Run by tests/compat/sentinel_clients_test.cc, which starts the topology and checks the key
written after the failover on the master the sentinels report.
"""

import os
import signal
import sys
import time

import redis
from redis.sentinel import Sentinel

PORTS = [int(port) for port in os.environ["EMBER_SENTINEL_PORTS"].split(",")]
MASTER = os.environ.get("EMBER_SENTINEL_MASTER", "mymaster")
PRIMARY_PID = int(os.environ["EMBER_PRIMARY_PID"])
FAILOVER_LIMIT = 20.0
TIMEOUT = 2.0


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def until(condition, limit, what):
    """Calls condition() every 0.1 s until it returns a true value; fails after `limit` s."""
    deadline = time.monotonic() + limit
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except redis.exceptions.RedisError as error:
            last_error = error
        time.sleep(0.1)
    fail("%s within %.0f s (last error: %r)" % (what, limit, last_error))


def main():
    sentinel = Sentinel([("127.0.0.1", port) for port in PORTS], socket_timeout=TIMEOUT)
    old_address = sentinel.discover_master(MASTER)
    print("OLD_MASTER %s:%d" % old_address, flush=True)
    if len(sentinel.discover_slaves(MASTER)) != 2:
        fail("the sentinels list %r as replicas" % (sentinel.discover_slaves(MASTER),))

    master = sentinel.master_for(MASTER, socket_timeout=TIMEOUT)
    replica = sentinel.slave_for(MASTER, socket_timeout=TIMEOUT)
    if master.set("before-failover", "written-first") is not True:
        fail("SET on the master did not reply OK")
    acknowledged = master.execute_command("WAIT", 2, 5000)
    if acknowledged < 1:
        fail("WAIT 2 5000 reported %r replicas" % (acknowledged,))
    until(lambda: replica.get("before-failover") == b"written-first", 5.0,
          "the replica did not show the key")
    try:
        replica.set("on-a-replica", "x")
        fail("a write through slave_for() succeeded")
    except redis.exceptions.ReadOnlyError:
        pass

    os.kill(PRIMARY_PID, signal.SIGKILL)
    # Connection errors, MasterNotFoundError while the master is down, and READONLY from a
    # replica not yet promoted are all retried.
    until(lambda: master.set("after-failover", "written-through-sentinel"), FAILOVER_LIMIT,
          "no write succeeded through master_for() after the failover")

    # The client may have learned of the promotion from another sentinel than the one that
    # answers first here, which hears of it through the others' hello messages a moment later.
    until(lambda: sentinel.discover_master(MASTER) != old_address, 10,
          "the sentinels still report %s:%d" % old_address)
    new_address = sentinel.discover_master(MASTER)
    if master.connection_pool.get_master_address() != new_address:
        fail("master_for() uses %r, the sentinels report %r"
             % (master.connection_pool.get_master_address(), new_address))
    role = master.execute_command("ROLE")
    if role[0] != b"master":
        fail("ROLE on the new master is %r" % (role,))
    if master.get("before-failover") != b"written-first":
        fail("the new master lost the acknowledged key")
    print("NEW_MASTER %s:%d" % new_address, flush=True)


if __name__ == "__main__":
    main()
