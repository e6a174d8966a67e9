// Real clients in sentinel mode follow an Ember failover: redis-py's redis.sentinel.Sentinel
// (tests/compat/python/sentinel_redis_py.py) and ioredis with `sentinels: [...]`
// (tests/compat/node/ioredis_sentinel_test.js). Each test starts the topology of
// tests/support/sentinel_cluster.h (three redis-sentinel 7.0, an Ember primary, two Ember
// replicas) and runs one script with the sentinel ports and the primary's PID in its
// environment. The script writes through the master it discovered, kills the primary with
// SIGKILL, and retries writes through the same client until one reaches the promoted replica
// (at most 20 s). The test passes only when the script exits 0, the primary is dead, and the
// key written after the failover is on the master the sentinels report, a former replica.
//
// A missing interpreter, library or redis-sentinel fails the test with what to install.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/compat/client_process.h"
#include "tests/support/redis_client.h"
#include "tests/support/sentinel_cluster.h"

namespace ember::test {
namespace {

std::string CompatDir() { return SourceDir() + "/tests/compat"; }

// Debian's python3-redis is installed for the system interpreter (see client_suites_test.cc).
std::string SystemPython() {
  return HaveProgram("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

void RequireRedisPy() {
  ClientRun probe_run;
  probe_run.argv = {SystemPython(), "-c", "import redis.sentinel"};
  const ClientResult probe = RunClient(probe_run);
  ASSERT_EQ(probe.exit_code, 0) << SystemPython() << " cannot import redis.sentinel: run "
                                << "tools/test or apt-get install python3 python3-redis\n"
                                << probe.Describe();
}

void RequireIoredis() {
  ASSERT_TRUE(HaveProgram("node"))
      << "node is not installed: run tools/test (it installs Debian's nodejs and npm when "
         "`node` is missing) or apt-get install nodejs npm";
  ASSERT_TRUE(std::filesystem::exists(CompatDir() + "/node/node_modules/ioredis/package.json"))
      << "npm package 'ioredis' is not installed: run tools/test, or `npm ci --no-audit "
         "--no-fund` in tests/compat/node";
}

// The "host:port" a script printed after `tag` ("NEW_MASTER "), or "".
std::string PrintedAddress(const std::string& out, const std::string& tag) {
  const size_t at = out.find(tag);
  if (at == std::string::npos) return "";
  const size_t start = at + tag.size();
  return out.substr(start, out.find('\n', start) - start);
}

// Runs `argv` in `cwd` against a fresh cluster and checks that the client followed the
// failover to one of the replicas.
void ExpectClientFollowsFailover(const std::vector<std::string>& argv, const std::string& cwd) {
  SentinelCluster cluster;
  ASSERT_TRUE(cluster.Start());
  const int old_port = cluster.ember_port(0);
  std::string ports;
  for (int port : cluster.sentinel_ports()) {
    ports += (ports.empty() ? "" : ",") + std::to_string(port);
  }

  ClientRun run;
  run.argv = argv;
  run.cwd = cwd;
  run.env = {{"EMBER_SENTINEL_PORTS", ports},
             {"EMBER_SENTINEL_MASTER", SentinelCluster::kMasterName},
             {"EMBER_PRIMARY_PID", std::to_string(cluster.ember(0).pid())},
             {"NO_COLOR", "1"}};
  run.timeout = std::chrono::seconds(60);
  const ClientResult result = RunClient(run);
  ASSERT_FALSE(result.timed_out) << result.Describe() << cluster.Logs();
  ASSERT_EQ(result.exit_code, 0) << result.Describe() << cluster.Logs();

  // The script did kill the primary.
  EXPECT_TRUE(cluster.ember(0).WaitForExit(std::chrono::seconds(5)).has_value())
      << "the primary is still running";
  EXPECT_EQ(PrintedAddress(result.out, "OLD_MASTER "), "127.0.0.1:" + std::to_string(old_port))
      << result.Describe();

  // The master the client reached is the one every sentinel reports, a former replica, and it
  // holds the key the client wrote after the failover.
  const int new_port = cluster.ReportedMasterPort(0);
  ASSERT_TRUE(new_port == cluster.ember_port(1) || new_port == cluster.ember_port(2))
      << "sentinel reports port " << new_port << "\n"
      << cluster.Logs();
  EXPECT_EQ(PrintedAddress(result.out, "NEW_MASTER "), "127.0.0.1:" + std::to_string(new_port))
      << result.Describe();
  EXPECT_EQ(AskOnce(new_port, {"GET", "after-failover"}), Bulk("written-through-sentinel"));
  EXPECT_EQ(AskOnce(new_port, {"GET", "before-failover"}), Bulk("written-first"));
}

TEST(SentinelClients, RedisPySentinelFollowsFailover) {
  ASSERT_NO_FATAL_FAILURE(RequireRedisPy());
  ExpectClientFollowsFailover({SystemPython(), "sentinel_redis_py.py"}, CompatDir() + "/python");
}

TEST(SentinelClients, IoredisSentinelFollowsFailover) {
  ASSERT_NO_FATAL_FAILURE(RequireIoredis());
  ExpectClientFollowsFailover({"node", "ioredis_sentinel_test.js"}, CompatDir() + "/node");
}

}  // namespace
}  // namespace ember::test
