// SentinelCluster: the topology the Sentinel failover tests run on loopback. One Ember primary
// and two Ember replicas, each started from its own config file (`ember.conf` in its workdir,
// holding its port and, for a replica, `replicaof`), so that the CONFIG REWRITE a sentinel sends
// has a file to write; and three Debian redis-sentinel 7.0 processes monitoring the primary as
// "mymaster" with quorum 2, down-after 1 s and failover-timeout 5 s.
//
// Start it from the thread that runs the test (ServerProcess's rule: a server stops when the
// thread that started it exits). Every wait is a bounded poll; failures are reported with
// ADD_FAILURE and the processes' logs. A missing redis-sentinel fails with what to install.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {

// Calls `condition` every 50 ms until it holds (true) or `limit` passes (false).
template <typename Condition>
bool PollFor(std::chrono::milliseconds limit, Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// One command on a fresh connection to 127.0.0.1:port. Fresh, because a sentinel sends CLIENT
// KILL TYPE normal to the instances it reconfigures, which would close a kept connection.
Reply AskOnce(int port, const std::vector<std::string>& args);

// A flat RESP2 array of alternating names and values (SENTINEL REPLICAS entries) as a map.
std::map<std::string, std::string> FieldMap(const Reply& flat);

// The whole text of a file ("" when it cannot be read).
std::string ReadTextFile(const std::string& path);

class SentinelCluster {
 public:
  static constexpr const char* kMasterName = "mymaster";
  // Long enough that a server starved of CPU for a moment on a loaded two-core machine (a CI
  // pass compiling beside the tests) is not taken for dead: a promoted replica judged down
  // a second after its promotion would be failed over again.
  static constexpr std::chrono::milliseconds kDownAfter{3000};
  static constexpr size_t kEmbers = 3;
  static constexpr size_t kSentinels = 3;

  SentinelCluster() = default;
  SentinelCluster(const SentinelCluster&) = delete;
  SentinelCluster& operator=(const SentinelCluster&) = delete;

  // Adds a line to Ember node `i`'s config file (e.g. "replica-priority 0"). Before Start().
  void AddConfigLine(size_t i, std::string line) { extra_lines_[i] += line + "\n"; }

  // Starts the primary, the two replicas (waiting until both links are up), then the sentinels,
  // and waits until every sentinel lists both replicas and the two other sentinels as healthy.
  // False (after ADD_FAILURE with the logs) when a process does not start or that takes longer
  // than 30 s. Call it once.
  bool Start();

  // Ember node `i`: 0 is the primary the cluster started with, 1 and 2 its replicas.
  ServerProcess& ember(size_t i) { return embers_[i]; }
  int ember_port(size_t i) const { return ember_ports_[i]; }
  const std::string& config_path(size_t i) const { return config_paths_[i]; }
  std::string ConfigText(size_t i) const { return ReadTextFile(config_paths_[i]); }

  std::vector<int> sentinel_ports() const;

  // Starts Ember node `i` again (after it was killed) from the config file it was started
  // with: the same file, so the same port, and CONFIG REWRITE writes to that file. The old
  // working directory is kept until the cluster is destroyed. False when it does not answer.
  bool Restart(size_t i);

  // The master port `sentinel` reports for kMasterName (SENTINEL GET-MASTER-ADDR-BY-NAME);
  // 0 when it reports none or another host than 127.0.0.1.
  int ReportedMasterPort(size_t sentinel) const;

  // Every process's log, labelled, for failure messages.
  std::string Logs() const;

 private:
  bool StartEmberNode(size_t i);
  bool StartSentinel(size_t i);
  bool SentinelSeesEveryone(size_t i) const;

  // Declared first so they go last: a restarted node runs from a file in one of these.
  std::vector<ServerProcess> retired_;
  std::vector<ServerProcess> embers_;
  std::vector<int> ember_ports_;
  std::vector<std::string> config_paths_;
  std::vector<ServerProcess> sentinels_;
  std::string extra_lines_[kEmbers];
};

}  // namespace ember::test
