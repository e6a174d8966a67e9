// Real client libraries against a fresh ember-server: each test starts its own server, runs
// one client's suite (tests/compat/python/, tests/compat/node/) with EMBER_TEST_PORT set, and
// passes only when the suite exits 0. The suite's output is printed on failure.
//
// A missing interpreter or library fails the test with what to install; it never skips.
// tools/test installs the Debian packages (python3-redis, nodejs/npm) and runs `npm ci` in
// tests/compat/node.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/compat/client_process.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

constexpr auto kSuiteTimeout = std::chrono::seconds(120);

std::string CompatDir() { return SourceDir() + "/tests/compat"; }

// Debian's python3-redis installs into the system interpreter's dist-packages, which a
// pyenv or virtualenv python3 earlier in PATH does not see.
std::string SystemPython() {
  return HaveProgram("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

// Runs `argv` against a fresh ember-server and expects exit status 0.
void RunSuiteAgainstEmber(const std::vector<std::string>& argv, const std::string& cwd) {
  ServerProcess server = ServerProcess::StartEmber();
  ASSERT_TRUE(server.running()) << "ember-server did not start";
  ClientRun run;
  run.argv = argv;
  run.cwd = cwd;
  run.env = {{"EMBER_TEST_PORT", std::to_string(server.port())}, {"NO_COLOR", "1"}};
  run.timeout = kSuiteTimeout;
  ClientResult result = RunClient(run);
  EXPECT_FALSE(result.timed_out) << result.Describe();
  EXPECT_EQ(result.exit_code, 0) << result.Describe();
  EXPECT_TRUE(server.running()) << "ember-server exited during the suite; log:\n"
                                << server.ReadLog();
}

// Fails (does not skip) when the Node.js side is not installed.
void RequireNodePackages() {
  ASSERT_TRUE(HaveProgram("node"))
      << "node is not installed: run tools/test (it installs Debian's nodejs and npm when "
         "`node` is missing) or apt-get install nodejs npm";
  for (const char* package :
       {"ioredis", "redis", "socket.io", "socket.io-client", "@socket.io/redis-adapter", "redlock",
        "rate-limiter-flexible", "bull", "bullmq"}) {
    const std::string path = CompatDir() + "/node/node_modules/" + package + "/package.json";
    ASSERT_TRUE(std::filesystem::exists(path))
        << "npm package '" << package << "' is not installed: run tools/test, or "
        << "`npm ci --no-audit --no-fund` in tests/compat/node";
  }
}

// Fails (does not skip) when redis-py is not importable by the system python.
void RequireRedisPy() {
  ClientRun probe_run;
  probe_run.argv = {SystemPython(), "-c", "import redis"};
  ClientResult probe = RunClient(probe_run);
  ASSERT_EQ(probe.exit_code, 0) << SystemPython() << " cannot import redis: run tools/test or "
                                << "apt-get install python3 python3-redis\n"
                                << probe.Describe();
}

TEST(ClientSuites, RedisPy) {
  ASSERT_NO_FATAL_FAILURE(RequireRedisPy());
  RunSuiteAgainstEmber({SystemPython(), "test_redis_py.py"}, CompatDir() + "/python");
}

// PubSub objects: get_message/listen, run_in_thread handlers, PUBSUB introspection, binary
// payloads, PING and the RESP2 subscribed-mode error (test_pubsub_redis_py.py).
TEST(ClientSuites, RedisPyPubSub) {
  ASSERT_NO_FATAL_FAILURE(RequireRedisPy());
  RunSuiteAgainstEmber({SystemPython(), "test_pubsub_redis_py.py"}, CompatDir() + "/python");
}

// The reliable-queue pattern (BLMOVE into a processing list, LREM when done) with 10,000
// jobs and a worker killed mid-job: every job runs exactly once (reliable_queue.py).
TEST(ClientSuites, RedisPyReliableQueue) {
  ASSERT_NO_FATAL_FAILURE(RequireRedisPy());
  RunSuiteAgainstEmber({SystemPython(), "reliable_queue.py"}, CompatDir() + "/python");
}

// RQ (python3-rq): a burst worker runs 20 jobs, one failing; results come back through RQ's
// API from the streams it keeps them in (rq_burst_worker.py).
TEST(ClientSuites, RqBurstWorker) {
  ASSERT_NO_FATAL_FAILURE(RequireRedisPy());
  ClientRun probe_run;
  probe_run.argv = {SystemPython(), "-c", "import rq"};
  ClientResult probe = RunClient(probe_run);
  ASSERT_EQ(probe.exit_code, 0) << SystemPython() << " cannot import rq: run tools/test or "
                                << "apt-get install python3-rq\n"
                                << probe.Describe();
  RunSuiteAgainstEmber({SystemPython(), "rq_burst_worker.py"}, CompatDir() + "/python");
}

// A hung test (a reply that never comes) fails after 20 s instead of stalling the suite, and
// the runner exits even if a failed test left a socket open.
std::vector<std::string> NodeTest(const std::string& file) {
  return {"node", "--test", "--test-force-exit", "--test-timeout=20000", file};
}

TEST(ClientSuites, Ioredis) {
  ASSERT_NO_FATAL_FAILURE(RequireNodePackages());
  RunSuiteAgainstEmber(NodeTest("ioredis_test.js"), CompatDir() + "/node");
}

TEST(ClientSuites, NodeRedis) {
  ASSERT_NO_FATAL_FAILURE(RequireNodePackages());
  RunSuiteAgainstEmber(NodeTest("node_redis_test.js"), CompatDir() + "/node");
}

// Subscriber connections: subscribe/psubscribe/ssubscribe events, RESP2 and RESP3, and
// resubscription after CLIENT KILL (ioredis_pubsub_test.js, node_redis_pubsub_test.js).
TEST(ClientSuites, IoredisPubSub) {
  ASSERT_NO_FATAL_FAILURE(RequireNodePackages());
  RunSuiteAgainstEmber(NodeTest("ioredis_pubsub_test.js"), CompatDir() + "/node");
}

TEST(ClientSuites, NodeRedisPubSub) {
  ASSERT_NO_FATAL_FAILURE(RequireNodePackages());
  RunSuiteAgainstEmber(NodeTest("node_redis_pubsub_test.js"), CompatDir() + "/node");
}

// Two socket.io servers in one process share the server through @socket.io/redis-adapter:
// broadcasts, fetchSockets and serverSideEmit cross between them (socketio_redis_adapter_test.js).
TEST(ClientSuites, SocketIoRedisAdapter) {
  ASSERT_NO_FATAL_FAILURE(RequireNodePackages());
  RunSuiteAgainstEmber(NodeTest("socketio_redis_adapter_test.js"), CompatDir() + "/node");
}

// node-redis's client-side cache over RESP3: hits served locally, invalidated by other clients'
// writes, flushes and expiry (node_redis_client_cache_test.js).
TEST(ClientSuites, NodeRedisClientSideCache) {
  ASSERT_NO_FATAL_FAILURE(RequireNodePackages());
  RunSuiteAgainstEmber(NodeTest("node_redis_client_cache_test.js"), CompatDir() + "/node");
}

// Redlock's acquire/extend/release scripts (EVALSHA with EVAL fallback): concurrent workers
// never overlap in the lock and lose no counter increments (redlock_test.js).
TEST(ClientSuites, Redlock) {
  ASSERT_NO_FATAL_FAILURE(RequireNodePackages());
  RunSuiteAgainstEmber(NodeTest("redlock_test.js"), CompatDir() + "/node");
}

// rate-limiter-flexible's RateLimiterRedis on ioredis: its consume script, limits, get/delete,
// penalty/reward, blocking and reset after the duration (rate_limiter_test.js).
TEST(ClientSuites, RateLimiterFlexible) {
  ASSERT_NO_FATAL_FAILURE(RequireNodePackages());
  RunSuiteAgainstEmber(NodeTest("rate_limiter_test.js"), CompatDir() + "/node");
}

// The Bull job queue, built on Lua scripts over lists, sorted sets and hashes: concurrency,
// priorities, delays, retries with backoff, removal, clean, pause, stalled-job recovery and
// close (bull_queue_test.js).
TEST(ClientSuites, BullQueue) {
  ASSERT_NO_FATAL_FAILURE(RequireNodePackages());
  RunSuiteAgainstEmber(NodeTest("bull_queue_test.js"), CompatDir() + "/node");
}

// BullMQ: plain, delayed, retried and failing jobs through a worker, with Lua scripts over
// hashes, lists and sorted sets, and job events read from its stream with XREAD BLOCK by
// QueueEvents (bullmq_test.js).
TEST(ClientSuites, BullMQ) {
  ASSERT_NO_FATAL_FAILURE(RequireNodePackages());
  RunSuiteAgainstEmber(NodeTest("bullmq_test.js"), CompatDir() + "/node");
}

}  // namespace
}  // namespace ember::test
