"""redis-py pub/sub (Debian's python3-redis) against a running server on $EMBER_TEST_PORT.

Covers PubSub objects over RESP2: subscribe/psubscribe confirmations and message dicts read
with get_message() and listen(), handlers run by run_in_thread(), unsubscribe/punsubscribe
counts, PUBSUB CHANNELS/NUMSUB/NUMPAT, binary and UTF-8 payloads, fan-out to several
subscribers with PUBLISH's delivery count, PING and the health check on a subscribed
connection, the error for ordinary commands in subscribed mode, and sharded pub/sub
(SSUBSCRIBE/SPUBLISH, which redis-py 4.3 has no helpers for) on a raw redis-py Connection.

Run by tests/compat/client_suites_test.cc against a fresh ember-server; every assertion also
holds against redis-server 7.0.15. Every wait is bounded by WAIT seconds. Exits non-zero on
any failure.
"""

import os
import sys
import threading
import time
import unittest

import redis

PORT = int(os.environ["EMBER_TEST_PORT"])
WAIT = 5.0

SUBSCRIBED_MODE_ERROR = ("Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                         "QUIT / RESET are allowed in this context")


def connect(**kwargs):
    return redis.Redis(host="127.0.0.1", port=PORT, socket_timeout=WAIT, **kwargs)


def next_message(pubsub, timeout=WAIT):
    """The next message get_message() yields within `timeout` seconds; fails otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))
        if message is not None:
            return message
    raise AssertionError(f"no pub/sub message within {timeout} s")


def next_messages(pubsub, count):
    return [next_message(pubsub) for _ in range(count)]


def no_message_within(pubsub, seconds=0.2):
    """True when get_message() yields nothing for `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pubsub.get_message(timeout=max(0.0, deadline - time.monotonic())) is not None:
            return False
    return True


def wait_until(predicate, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def event(kind, channel, data, pattern=None):
    return {"type": kind, "pattern": pattern, "channel": channel, "data": data}


class PubSubTest(unittest.TestCase):
    def setUp(self):
        self.r = connect()
        self.r.flushall()
        self.opened = []

    def tearDown(self):
        for pubsub in self.opened:
            pubsub.close()
        # Counts are global: the next test starts once the server has dropped these.
        drained = wait_until(lambda: self.r.pubsub_numpat() == 0 and not self.r.pubsub_channels()
                             and not self.r.execute_command("PUBSUB", "SHARDCHANNELS"))
        self.r.close()
        self.assertTrue(drained, "the server kept closed connections' subscriptions")

    def pubsub(self, client=None, **kwargs):
        pubsub = (client or self.r).pubsub(**kwargs)
        self.opened.append(pubsub)
        return pubsub

    def subscribed(self, *channels, patterns=()):
        """A PubSub whose subscriptions the server has confirmed."""
        pubsub = self.pubsub()
        if channels:
            pubsub.subscribe(*channels)
        if patterns:
            pubsub.psubscribe(*patterns)
        confirmations = next_messages(pubsub, len(channels) + len(patterns))
        self.assertEqual([m["data"] for m in confirmations],
                         list(range(1, len(channels) + len(patterns) + 1)))
        return pubsub

    def test_subscribe_and_psubscribe_confirm_each_name_with_the_running_count(self):
        pubsub = self.pubsub()
        self.assertFalse(pubsub.subscribed)
        pubsub.subscribe("a", "b")
        pubsub.psubscribe("x*")
        self.assertEqual(next_messages(pubsub, 3), [
            event("subscribe", b"a", 1),
            event("subscribe", b"b", 2),
            event("psubscribe", b"x*", 3),
        ])
        self.assertTrue(pubsub.subscribed)
        pubsub.subscribe("a")
        self.assertEqual(next_message(pubsub), event("subscribe", b"a", 3))
        self.assertTrue(no_message_within(pubsub))

    def test_ignore_subscribe_messages_yields_only_the_publications(self):
        pubsub = self.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe("quiet")
        self.assertTrue(wait_until(lambda: self.r.pubsub_numsub("quiet") == [(b"quiet", 1)]))
        self.assertEqual(self.r.publish("quiet", "only this"), 1)
        self.assertEqual(next_message(pubsub), event("message", b"quiet", b"only this"))

    def test_message_and_pmessage_dicts(self):
        pubsub = self.subscribed("news", patterns=["new*"])
        self.assertEqual(self.r.publish("news", "hi"), 2)
        self.assertEqual(next_messages(pubsub, 2), [
            event("message", b"news", b"hi"),
            event("pmessage", b"news", b"hi", pattern=b"new*"),
        ])
        self.assertEqual(self.r.publish("newt", "pattern only"), 1)
        self.assertEqual(next_message(pubsub),
                         event("pmessage", b"newt", b"pattern only", pattern=b"new*"))
        self.assertEqual(self.r.publish("other", "nobody"), 0)
        self.assertTrue(no_message_within(pubsub))

    def test_glob_patterns_match_as_redis_does(self):
        pubsub = self.subscribed(patterns=["h?llo", "h[ae]y", "esc\\*"])
        published = {"hello": 1, "hxllo": 1, "heello": 0, "hay": 1, "hoy": 0, "esc*": 1,
                     "escX": 0}
        for channel, expected in published.items():
            self.assertEqual(self.r.publish(channel, "m"), expected, channel)
        received = [(m["pattern"], m["channel"]) for m in next_messages(pubsub, 4)]
        self.assertEqual(received, [(b"h?llo", b"hello"), (b"h?llo", b"hxllo"),
                                    (b"h[ae]y", b"hay"), (b"esc\\*", b"esc*")])
        self.assertTrue(no_message_within(pubsub))

    def test_listen_yields_messages_in_publish_order_and_ends_after_unsubscribe(self):
        pubsub = self.pubsub()
        pubsub.subscribe("stream")
        stream = pubsub.listen()
        self.assertEqual(next(stream), event("subscribe", b"stream", 1))
        for i in range(100):
            self.assertEqual(self.r.publish("stream", f"item {i}"), 1)
        received = [next(stream) for _ in range(100)]
        self.assertEqual(received, [event("message", b"stream", f"item {i}".encode())
                                    for i in range(100)])
        pubsub.unsubscribe()
        self.assertEqual(list(stream), [event("unsubscribe", b"stream", 0)])
        self.assertFalse(pubsub.subscribed)

    def test_handlers_run_in_a_worker_thread(self):
        received = []
        done = threading.Event()

        def handler(message):
            received.append(message)
            if len(received) == 2:
                done.set()

        pubsub = self.pubsub()
        pubsub.subscribe(jobs=handler)
        pubsub.psubscribe(**{"log.*": handler})
        worker = pubsub.run_in_thread(sleep_time=0.01, daemon=True)
        try:
            self.assertTrue(wait_until(lambda: self.r.pubsub_numsub("jobs") == [(b"jobs", 1)]
                                       and self.r.pubsub_numpat() == 1))
            self.assertEqual(self.r.publish("jobs", "job 1"), 1)
            self.assertEqual(self.r.publish("log.disk", "full"), 1)
            self.assertTrue(done.wait(WAIT), f"handlers saw only {received}")
        finally:
            worker.stop()
            worker.join(WAIT)
        self.assertFalse(worker.is_alive())
        self.assertEqual(received, [event("message", b"jobs", b"job 1"),
                                    event("pmessage", b"log.disk", b"full", pattern=b"log.*")])
        # The worker closed the connection on stop; the server drops its subscriptions.
        self.assertTrue(wait_until(lambda: self.r.pubsub_numsub("jobs") == [(b"jobs", 0)]
                                   and self.r.pubsub_numpat() == 0))

    def test_unsubscribe_and_punsubscribe_report_remaining_counts(self):
        pubsub = self.subscribed("a", "b", patterns=["p*"])
        pubsub.unsubscribe("a")
        self.assertEqual(next_message(pubsub), event("unsubscribe", b"a", 2))
        pubsub.unsubscribe("never-subscribed")
        self.assertEqual(next_message(pubsub), event("unsubscribe", b"never-subscribed", 2))
        pubsub.punsubscribe()
        self.assertEqual(next_message(pubsub), event("punsubscribe", b"p*", 1))
        self.assertEqual(self.r.publish("a", "gone"), 0)
        self.assertEqual(self.r.publish("pa", "gone"), 0)
        self.assertEqual(self.r.publish("b", "kept"), 1)
        self.assertEqual(next_message(pubsub), event("message", b"b", b"kept"))
        pubsub.unsubscribe()
        self.assertEqual(next_message(pubsub), event("unsubscribe", b"b", 0))
        self.assertFalse(pubsub.subscribed)

    def test_pubsub_channels_numsub_and_numpat(self):
        self.assertEqual(self.r.pubsub_channels(), [])
        self.assertEqual(self.r.pubsub_numpat(), 0)
        first = self.subscribed("alpha", "beta", patterns=["al*", "be*"])
        self.subscribed("alpha", patterns=["al*"])
        self.assertEqual(set(self.r.pubsub_channels()), {b"alpha", b"beta"})
        self.assertEqual(self.r.pubsub_channels("al*"), [b"alpha"])
        self.assertEqual(self.r.pubsub_numsub("alpha", "beta", "none"),
                         [(b"alpha", 2), (b"beta", 1), (b"none", 0)])
        self.assertEqual(self.r.pubsub_numsub(), [])
        # Redis 7 counts distinct patterns, not pattern subscriptions.
        self.assertEqual(self.r.pubsub_numpat(), 2)
        first.unsubscribe("beta")
        first.punsubscribe("be*")
        next_messages(first, 2)
        self.assertEqual(self.r.pubsub_channels(), [b"alpha"])
        self.assertEqual(self.r.pubsub_numpat(), 1)

    def test_binary_channels_and_payloads_arrive_unchanged(self):
        channel = b"bin\x00\xff\r\n"
        payload = bytes(range(256)) + b"\r\n$3\r\n*1\r\n"
        pubsub = self.subscribed(channel, patterns=[b"bin\x00*"])
        self.assertEqual(self.r.publish(channel, payload), 2)
        self.assertEqual(next_messages(pubsub, 2), [
            event("message", channel, payload),
            event("pmessage", channel, payload, pattern=b"bin\x00*"),
        ])
        large = os.urandom(1 << 20)
        self.assertEqual(self.r.publish(channel, large), 2)
        self.assertEqual([m["data"] for m in next_messages(pubsub, 2)], [large, large])
        self.assertEqual(self.r.publish(channel, b""), 2)
        self.assertEqual([m["data"] for m in next_messages(pubsub, 2)], [b"", b""])

    def test_decoded_responses_carry_utf8_text(self):
        text = connect(decode_responses=True)
        try:
            pubsub = self.pubsub(text)
            pubsub.subscribe("канал")
            self.assertEqual(next_message(pubsub), event("subscribe", "канал", 1))
            self.assertEqual(text.publish("канал", "héllo ✓"), 1)
            self.assertEqual(next_message(pubsub), event("message", "канал", "héllo ✓"))
        finally:
            text.close()

    def test_publish_counts_every_delivery_to_several_subscribers(self):
        channel_only = [self.subscribed("fan") for _ in range(4)]
        both = self.subscribed("fan", patterns=["f*"])
        two_patterns = self.subscribed(patterns=["fa*", "f*"])
        self.assertEqual(self.r.publish("fan", "out"), 4 + 2 + 2)
        for pubsub in channel_only:
            self.assertEqual(next_message(pubsub), event("message", b"fan", b"out"))
            self.assertTrue(no_message_within(pubsub, 0.05))
        self.assertEqual(next_messages(both, 2), [
            event("message", b"fan", b"out"),
            event("pmessage", b"fan", b"out", pattern=b"f*"),
        ])
        self.assertEqual(sorted(m["pattern"] for m in next_messages(two_patterns, 2)),
                         [b"f*", b"fa*"])
        self.assertEqual(self.r.publish("fin", "narrow"), 2)

    def test_ping_on_a_subscribed_connection_answers_pong_with_the_message(self):
        pubsub = self.subscribed("c")
        pubsub.ping()
        self.assertEqual(next_message(pubsub), {"type": "pong", "pattern": None,
                                                "channel": None, "data": b""})
        pubsub.ping("hello")
        self.assertEqual(next_message(pubsub)["data"], b"hello")
        self.assertEqual(self.r.publish("c", "after ping"), 1)
        self.assertEqual(next_message(pubsub), event("message", b"c", b"after ping"))

    def test_health_check_pings_are_answered_and_swallowed(self):
        checked = connect(health_check_interval=1)
        try:
            pubsub = self.pubsub(checked)
            pubsub.subscribe("hc")
            self.assertEqual(next_message(pubsub), event("subscribe", b"hc", 1))
            self.assertTrue(self.r.config_resetstat())
            time.sleep(1.1)
            self.assertTrue(no_message_within(pubsub, 0.5))
            self.assertEqual(pubsub.health_check_response_counter, 0)
            self.assertEqual(self.r.info("commandstats")["cmdstat_ping"]["calls"], 1)
            self.assertEqual(self.r.publish("hc", "still here"), 1)
            self.assertEqual(next_message(pubsub), event("message", b"hc", b"still here"))
        finally:
            checked.close()

    def test_ordinary_commands_fail_on_a_subscribed_resp2_connection(self):
        pubsub = self.subscribed("c")
        for args, name in [(("GET", "k"), "get"), (("SET", "k", "v"), "set"),
                           (("PUBSUB", "NUMPAT"), "pubsub|numpat")]:
            pubsub.execute_command(*args)
            with self.assertRaises(redis.exceptions.ResponseError) as caught:
                next_message(pubsub)
            self.assertEqual(str(caught.exception), SUBSCRIBED_MODE_ERROR.format(name))
        self.assertEqual(self.r.exists("k"), 0)
        self.assertEqual(self.r.publish("c", "still subscribed"), 1)
        self.assertEqual(next_message(pubsub), event("message", b"c", b"still subscribed"))

    def test_sharded_pubsub_on_a_raw_connection(self):
        conn = redis.Connection(host="127.0.0.1", port=PORT, socket_timeout=WAIT)
        try:
            conn.send_command("SSUBSCRIBE", "s1", "s2")
            self.assertEqual([conn.read_response() for _ in range(2)],
                             [[b"ssubscribe", b"s1", 1], [b"ssubscribe", b"s2", 2]])
            self.assertEqual(self.r.execute_command("SPUBLISH", "s1", b"sharded\x00"), 1)
            self.assertEqual(conn.read_response(), [b"smessage", b"s1", b"sharded\x00"])
            self.assertEqual(self.r.publish("s1", "not sharded"), 0)
            self.assertEqual(set(self.r.execute_command("PUBSUB", "SHARDCHANNELS")),
                             {b"s1", b"s2"})
            self.assertEqual(self.r.execute_command("PUBSUB", "SHARDNUMSUB", "s1", "zz"),
                             [b"s1", 1, b"zz", 0])
            self.assertEqual(self.r.pubsub_channels(), [])
            conn.send_command("SUNSUBSCRIBE", "s1")
            self.assertEqual(conn.read_response(), [b"sunsubscribe", b"s1", 1])
            self.assertEqual(self.r.execute_command("SPUBLISH", "s1", "gone"), 0)
        finally:
            conn.disconnect()


if __name__ == "__main__":
    print(f"redis-py {redis.__version__} pub/sub against 127.0.0.1:{PORT}", flush=True)
    program = unittest.main(exit=False, verbosity=2)
    sys.exit(0 if program.result.wasSuccessful() and program.result.testsRun > 0 else 1)
