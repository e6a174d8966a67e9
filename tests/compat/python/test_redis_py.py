"""redis-py (Debian's python3-redis) against a running server on $EMBER_TEST_PORT.

Run by tests/compat/client_suites_test.cc against a fresh ember-server; every assertion also
holds against redis-server 7.0.15, except where a test names a documented difference (Ember
answers CLIENT SETINFO as Redis 7.2 does). Exits non-zero on any failure.
"""

import inspect
import os
import re
import sys
import time
import unittest

import redis

PORT = int(os.environ["EMBER_TEST_PORT"])


def connect(**kwargs):
    return redis.Redis(host="127.0.0.1", port=PORT, socket_timeout=10, **kwargs)


class RedisPyTest(unittest.TestCase):
    def setUp(self):
        self.r = connect()
        self.r.flushall()
        self.is_ember = "ember_version" in self.r.info("server")

    def tearDown(self):
        self.r.close()

    def test_connect_ping_echo(self):
        self.assertTrue(self.r.ping())
        self.assertEqual(self.r.echo("hello"), b"hello")
        text = connect(decode_responses=True)
        self.assertEqual(text.echo("héllo"), "héllo")
        text.close()

    def test_set_get_and_expiry_options(self):
        self.assertTrue(self.r.set("plain", "v"))
        self.assertEqual(self.r.get("plain"), b"v")
        self.assertIsNone(self.r.get("missing"))
        self.assertTrue(self.r.set("ex", "v", ex=100))
        self.assertTrue(0 < self.r.ttl("ex") <= 100)
        self.assertTrue(self.r.set("px", "v", px=50000))
        self.assertTrue(0 < self.r.pttl("px") <= 50000)
        self.assertIsNone(self.r.set("plain", "other", nx=True))
        self.assertEqual(self.r.get("plain"), b"v")
        self.assertTrue(self.r.set("plain", "new", xx=True, keepttl=True))
        self.assertEqual(self.r.getset("plain", "newer"), b"new")
        self.assertEqual(self.r.getdel("plain"), b"newer")
        self.assertEqual(self.r.exists("plain"), 0)

    def test_counters_and_multi_key(self):
        self.assertEqual(self.r.incr("n"), 1)
        self.assertEqual(self.r.incrby("n", 41), 42)
        self.assertEqual(self.r.decr("n"), 41)
        self.assertAlmostEqual(self.r.incrbyfloat("f", 1.5), 1.5)
        self.assertTrue(self.r.mset({"a": "1", "b": "2"}))
        self.assertEqual(self.r.mget("a", "missing", "b"), [b"1", None, b"2"])
        self.assertEqual(self.r.append("a", "23"), 3)
        self.assertEqual(self.r.strlen("a"), 3)
        self.assertEqual(self.r.delete("a", "b", "missing"), 2)
        with self.assertRaises(redis.exceptions.ResponseError) as caught:
            self.r.incr("f")
        self.assertIn("not an integer", str(caught.exception))

    def test_pipeline_transaction_returns_every_reply(self):
        pipe = self.r.pipeline(transaction=True)
        pipe.set("k", "1").incr("k").get("k").exists("k", "missing")
        self.assertEqual(pipe.execute(), [True, 2, b"2", 1])

    def test_pipeline_transaction_runtime_error_keeps_other_results(self):
        self.r.set("text", "abc")
        pipe = self.r.pipeline(transaction=True)
        pipe.set("a", "1").incr("text").incr("a")
        results = pipe.execute(raise_on_error=False)
        self.assertEqual(results[0], True)
        self.assertIsInstance(results[1], redis.exceptions.ResponseError)
        self.assertEqual(results[2], 2)
        self.assertEqual(self.r.get("a"), b"2")

    def test_pipeline_transaction_queue_error_aborts_everything(self):
        pipe = self.r.pipeline(transaction=True)
        pipe.set("a", "1")
        pipe.execute_command("SET", "only-a-key")
        with self.assertRaises(redis.exceptions.ResponseError) as caught:
            pipe.execute()
        self.assertIn("wrong number of arguments", str(caught.exception))
        self.assertEqual(self.r.exists("a"), 0)

    def test_pipeline_without_transaction(self):
        pipe = self.r.pipeline(transaction=False)
        for i in range(500):
            pipe.set(f"p:{i}", i)
        for i in range(500):
            pipe.get(f"p:{i}")
        results = pipe.execute()
        self.assertEqual(results[:500], [True] * 500)
        self.assertEqual(results[500:], [str(i).encode() for i in range(500)])
        self.assertEqual(self.r.dbsize(), 500)

    def test_watch_retry_loop_retries_after_concurrent_change(self):
        other = connect()
        interferences = 2
        attempts = 0
        with self.r.pipeline() as pipe:
            while attempts < 10:
                attempts += 1
                try:
                    pipe.watch("balance")
                    value = int(pipe.get("balance") or 0)
                    if attempts <= interferences:
                        other.set("balance", 100 + attempts)
                    pipe.multi()
                    pipe.set("balance", value + 1)
                    pipe.execute()
                    break
                except redis.WatchError:
                    continue
        other.close()
        self.assertEqual(attempts, interferences + 1)
        self.assertEqual(self.r.get("balance"), b"103")

    def test_transaction_helper_and_unwatch(self):
        self.r.set("counter", "5")

        def double(pipe):
            value = int(pipe.get("counter"))
            pipe.multi()
            pipe.set("counter", value * 2)

        self.assertEqual(self.r.transaction(double, "counter"), [True])
        self.assertEqual(self.r.get("counter"), b"10")
        other = connect()
        with self.r.pipeline() as pipe:
            pipe.watch("counter")
            other.set("counter", "11")
            pipe.unwatch()
            pipe.multi()
            pipe.incr("counter")
            self.assertEqual(pipe.execute(), [12])
        other.close()

    def test_scan_iter_returns_exactly_the_matching_keys(self):
        pipe = self.r.pipeline(transaction=False)
        for i in range(300):
            pipe.set(f"user:{i}", i)
        for i in range(60):
            pipe.set(f"other:{i}", i)
        pipe.execute()
        found = list(self.r.scan_iter(match="user:*", count=25))
        self.assertEqual(set(found), {f"user:{i}".encode() for i in range(300)})
        self.assertEqual(set(self.r.scan_iter(match="other:1?")),
                         {f"other:{i}".encode() for i in range(10, 20)})

    def test_expire_ttl_persist(self):
        self.r.set("k", "v")
        self.assertEqual(self.r.ttl("k"), -1)
        self.assertEqual(self.r.ttl("missing"), -2)
        self.assertTrue(self.r.expire("k", 100))
        self.assertTrue(0 < self.r.ttl("k") <= 100)
        self.assertTrue(90000 < self.r.pttl("k") <= 100000)
        self.assertTrue(self.r.persist("k"))
        self.assertEqual(self.r.ttl("k"), -1)
        self.assertFalse(self.r.expire("missing", 10))
        self.assertTrue(self.r.pexpire("k", 50))
        deadline = time.monotonic() + 5
        while self.r.exists("k") and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertEqual(self.r.exists("k"), 0)

    def test_client_setinfo(self):
        # Redis 7.2 added CLIENT SETINFO, and Ember implements it; 7.0.15 rejects it.
        if self.is_ember:
            self.assertTrue(self.r.execute_command("CLIENT", "SETINFO", "LIB-NAME", "redis-py"))
            self.assertTrue(self.r.execute_command("CLIENT", "SETINFO", "LIB-VER",
                                                   redis.__version__))
            info = self.r.execute_command("CLIENT", "INFO").decode()
            self.assertIn("lib-name=redis-py", info)
            self.assertIn(f"lib-ver={redis.__version__}", info)
        else:
            with self.assertRaises(redis.exceptions.ResponseError) as caught:
                self.r.execute_command("CLIENT", "SETINFO", "LIB-NAME", "redis-py")
            self.assertIn("unknown subcommand", str(caught.exception))
        self.assertTrue(self.r.ping())

    def test_client_name_id_and_list(self):
        self.assertIsNone(self.r.client_getname())
        self.assertTrue(self.r.client_setname("compat-py"))
        self.assertEqual(self.r.client_getname(), "compat-py")
        client_id = self.r.client_id()
        self.assertIsInstance(client_id, int)
        self.assertGreater(client_id, 0)
        mine = [c for c in self.r.client_list() if c["name"] == "compat-py"]
        self.assertEqual(len(mine), 1)
        self.assertEqual(int(mine[0]["id"]), client_id)
        self.assertEqual(self.r.client_info()["name"], "compat-py")

    def test_info_parses_into_typed_fields(self):
        self.r.set("a", "1")
        self.r.set("b", "2", ex=100)
        info = self.r.info()
        self.assertRegex(str(info["redis_version"]), r"^\d+\.\d+\.\d+$")
        self.assertGreaterEqual(info["connected_clients"], 1)
        self.assertEqual(info["db0"]["keys"], 2)
        self.assertEqual(info["db0"]["expires"], 1)
        self.assertEqual(info["loading"], 0)
        self.assertEqual(self.r.info("keyspace")["db0"]["keys"], 2)

    def test_config_get(self):
        save = self.r.config_get("save")
        self.assertEqual(list(save), ["save"])
        self.assertRegex(save["save"], r"^(\d+ \d+( \d+ \d+)*)?$")
        self.assertEqual(self.r.config_get("maxmemory"), {"maxmemory": "0"})

    def test_introspection_helpers_parse_replies(self):
        seconds, micros = self.r.time()
        self.assertGreater(seconds, 1_600_000_000)
        self.assertTrue(0 <= micros < 1_000_000)
        self.r.set("n", 12)
        self.r.set("e", "hello")
        self.assertEqual(self.r.object("encoding", "n"), b"int")
        self.assertEqual(self.r.object("encoding", "e"), b"embstr")
        self.assertGreater(self.r.memory_usage("e"), 0)
        self.assertIsNone(self.r.memory_usage("missing"))

        self.assertTrue(self.r.config_set("slowlog-log-slower-than", 0))
        self.r.set("slow", "1")
        entries = self.r.slowlog_get(2)
        self.assertEqual(entries[0]["command"], b"SET slow 1")
        self.assertGreater(entries[0]["id"], entries[1]["id"])
        self.assertTrue(self.r.config_set("slowlog-log-slower-than", 10000))
        self.assertTrue(self.r.slowlog_reset())
        self.assertEqual(self.r.slowlog_len(), 0)

        self.assertTrue(self.r.config_resetstat())
        for i in range(3):
            self.r.set("a", i)
        with self.assertRaises(redis.exceptions.ResponseError):
            self.r.execute_command("SET", "a")
        stats = self.r.info("commandstats")["cmdstat_set"]
        self.assertEqual(stats["calls"], 3)
        self.assertEqual(stats["rejected_calls"], 1)
        self.assertEqual(stats["failed_calls"], 0)

    def test_save_and_lastsave(self):
        self.r.set("k", "v")
        before = self.r.lastsave()
        self.assertTrue(self.r.save())
        self.assertGreaterEqual(self.r.lastsave(), before)

    def test_client_kill_by_id_closes_that_connection(self):
        victim = connect()
        victim_id = victim.client_id()
        self.assertEqual(self.r.client_kill_filter(_id=victim_id), 1)
        self.assertNotIn(victim_id, [int(c["id"]) for c in self.r.client_list()])
        # redis-py reconnects on the next command, as a new client.
        self.assertNotEqual(victim.client_id(), victim_id)
        victim.close()

    def test_select_and_flushdb(self):
        db1 = connect(db=1)
        db1.set("k", "in-db1")
        self.r.set("k", "in-db0")
        self.assertTrue(db1.flushdb())
        self.assertEqual(db1.dbsize(), 0)
        self.assertEqual(self.r.get("k"), b"in-db0")
        db1.close()

    def test_hashes_through_the_typed_api(self):
        self.assertEqual(self.r.hset("user:1", mapping={"name": "Ada", "visits": 3}), 2)
        self.assertEqual(self.r.hgetall("user:1"), {b"name": b"Ada", b"visits": b"3"})
        self.assertEqual(self.r.hget("user:1", "name"), b"Ada")
        self.assertIsNone(self.r.hget("user:1", "missing"))
        self.assertEqual(self.r.hincrby("user:1", "visits", 2), 5)
        self.assertAlmostEqual(self.r.hincrbyfloat("user:1", "score", 1.5), 1.5)
        self.assertEqual(self.r.hmget("user:1", ["name", "nope"]), [b"Ada", None])
        self.assertTrue(self.r.hexists("user:1", "score"))
        self.assertEqual(self.r.hdel("user:1", "score", "nope"), 1)
        self.assertEqual(sorted(self.r.hkeys("user:1")), [b"name", b"visits"])
        self.assertEqual(self.r.hlen("user:1"), 2)
        text = connect(decode_responses=True)
        big = {f"field:{i}": f"value:{i}" for i in range(600)}
        text.hset("big", mapping=big)
        self.assertEqual(text.object("encoding", "big"), "hashtable")
        self.assertEqual(dict(text.hscan_iter("big", count=50)), big)
        self.assertEqual(text.hgetall("big"), big)
        with self.assertRaises(redis.ResponseError):
            text.get("big")
        text.close()

    def test_sets_through_the_typed_api(self):
        self.assertEqual(self.r.sadd("tags", "red", "green", "blue"), 3)
        self.assertEqual(self.r.smembers("tags"), {b"red", b"green", b"blue"})
        self.assertTrue(self.r.sismember("tags", "red"))
        self.assertEqual(self.r.smismember("tags", ["red", "pink"]), [1, 0])
        self.r.sadd("warm", "red", "orange")
        self.assertEqual(self.r.sinter("tags", "warm"), {b"red"})
        self.assertEqual(self.r.sunion("tags", "warm"), {b"red", b"green", b"blue", b"orange"})
        self.assertEqual(self.r.sdiff("tags", "warm"), {b"green", b"blue"})
        self.assertEqual(self.r.sinterstore("both", ["tags", "warm"]), 1)
        self.assertEqual(self.r.smembers("both"), {b"red"})
        self.assertIn(self.r.srandmember("tags"), {b"red", b"green", b"blue"})
        popped = self.r.spop("tags", 2)
        self.assertEqual(len(set(popped)), 2)
        self.assertEqual(self.r.scard("tags"), 1)
        self.r.sadd("ids", *range(100))
        self.assertEqual(self.r.object("encoding", "ids"), b"intset")
        self.assertEqual({int(m) for m in self.r.sscan_iter("ids")}, set(range(100)))
        pipe = self.r.pipeline()
        pipe.sadd("p", "a").srem("p", "a").exists("p")
        self.assertEqual(pipe.execute(), [1, 1, 0])

    def test_geo_commands_parse_as_redis_py_expects(self):
        # Redis's documentation example: Palermo and Catania.
        self.assertEqual(
            self.r.geoadd("Sicily", [13.361389, 38.115556, "Palermo", 15.087269, 37.502669,
                                     "Catania"]), 2)
        self.assertEqual(self.r.geoadd("Sicily", [13.361389, 38.115556, "Palermo"], nx=True), 0)
        self.assertEqual(self.r.geodist("Sicily", "Palermo", "Catania", unit="km"), 166.2742)
        self.assertIsNone(self.r.geodist("Sicily", "Palermo", "Nowhere"))
        self.assertEqual(self.r.geohash("Sicily", "Palermo", "Catania", "Nowhere"),
                         ["sqc8b49rny0", "sqdtr74hyu0", None])  # redis-py decodes these
        (lon, lat), missing = self.r.geopos("Sicily", "Palermo", "Nowhere")
        self.assertAlmostEqual(lon, 13.361389, places=5)
        self.assertAlmostEqual(lat, 38.115556, places=5)
        self.assertIsNone(missing)
        self.assertEqual(
            self.r.georadius("Sicily", 15, 37, 200, unit="km", withdist=True, sort="ASC"),
            [[b"Catania", 56.4413], [b"Palermo", 190.4424]])
        nearest = self.r.geosearch("Sicily", longitude=15, latitude=37, radius=200, unit="km",
                                   withcoord=True, withhash=True, count=1)
        self.assertEqual(nearest[0][0], b"Catania")
        self.assertEqual(nearest[0][1], 3479447370796909)
        self.assertAlmostEqual(nearest[0][2][0], 15.087269, places=5)
        self.assertEqual(self.r.geosearch("Sicily", member="Palermo", width=400, height=400,
                                          unit="km", sort="DESC"), [b"Catania", b"Palermo"])
        self.assertEqual(self.r.geosearchstore("near", "Sicily", longitude=15, latitude=37,
                                               radius=100, unit="km", storedist=True), 1)
        ((member, distance),) = self.r.zrange("near", 0, -1, withscores=True)
        self.assertEqual(member, b"Catania")
        self.assertAlmostEqual(distance, 56.4413, places=3)  # stored at full precision
        with self.assertRaises(redis.ResponseError):
            self.r.geoadd("Sicily", [200, 0, "bad"])

    def test_bitmaps_and_hyperloglog(self):
        self.assertEqual(self.r.setbit("bits", 7, 1), 0)
        self.assertEqual(self.r.setbit("bits", 7, 1), 1)
        self.assertEqual(self.r.getbit("bits", 7), 1)
        self.assertEqual(self.r.get("bits"), b"\x01")
        self.r.set("word", "foobar")
        self.assertEqual(self.r.bitcount("word"), 26)
        self.assertEqual(self.r.bitcount("word", 1, 1), 6)
        self.assertEqual(self.r.bitpos("bits", 1), 7)
        field = self.r.bitfield("counters")
        self.assertEqual(field.incrby("u8", 0, 200).incrby("u8", 0, 100).execute(), [200, 44])
        self.assertEqual(self.r.pfadd("visitors", "a", "b", "c"), 1)
        self.assertEqual(self.r.pfadd("visitors", "a"), 0)
        self.assertEqual(self.r.pfadd("more", "c", "d"), 1)
        self.assertEqual(self.r.pfcount("visitors"), 3)
        self.assertEqual(self.r.pfcount("visitors", "more"), 4)
        self.assertTrue(self.r.pfmerge("all", "visitors", "more"))
        self.assertEqual(self.r.pfcount("all"), 4)

    def test_protocol_3_when_supported(self):
        supports_resp3 = "protocol" in inspect.signature(redis.Redis.__init__).parameters
        if not supports_resp3:
            # redis-py added protocol=3 in 5.0; Debian 12 ships 4.3.4. RESP3 is covered by
            # node-redis and redis-cli -3 instead.
            self.assertLess(int(redis.__version__.split(".")[0]), 5)
            return
        r3 = connect(protocol=3)
        self.assertTrue(r3.set("k", "v"))
        self.assertEqual(r3.get("k"), b"v")
        self.assertIsNone(r3.get("missing"))
        r3.close()


if __name__ == "__main__":
    print(f"redis-py {redis.__version__} against 127.0.0.1:{PORT}", flush=True)
    program = unittest.main(exit=False, verbosity=2)
    sys.exit(0 if program.result.wasSuccessful() and program.result.testsRun > 0 else 1)
