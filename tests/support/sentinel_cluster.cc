#include "tests/support/sentinel_cluster.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace ember::test {
namespace {

// Debian's redis-sentinel package: a symlink to the server binary, which runs as a sentinel
// when argv[0] names redis-sentinel.
constexpr const char* kSentinelBinary = "/usr/bin/redis-sentinel";
constexpr int kStartAttempts = 3;
constexpr auto kDiscoveryLimit = std::chrono::seconds(30);

std::string EmberConfig(int port, int primary_port) {
  std::string text = "bind 127.0.0.1\nport " + std::to_string(port) +
                     "\nhttp-port 0\nrepl-diskless-sync-delay 0\n";
  if (primary_port != 0) text += "replicaof 127.0.0.1 " + std::to_string(primary_port) + "\n";
  return text;
}

std::string SentinelConfig(int port, int primary_port) {
  const std::string name = SentinelCluster::kMasterName;
  return "bind 127.0.0.1\nport " + std::to_string(port) + "\ndaemonize no\n" + "sentinel monitor " +
         name + " 127.0.0.1 " + std::to_string(primary_port) + " 2\n" +
         "sentinel down-after-milliseconds " + name + " " +
         std::to_string(SentinelCluster::kDownAfter.count()) + "\n" + "sentinel failover-timeout " +
         name + " 5000\n";
}

// How many entries of a SENTINEL REPLICAS / SENTINELS reply carry exactly `flags` (a healthy
// instance: no s_down, no disconnected).
size_t CountWithFlags(const Reply& entries, const std::string& flags) {
  size_t count = 0;
  for (const Reply& entry : entries.elements) {
    if (FieldMap(entry)["flags"] == flags) ++count;
  }
  return count;
}

bool LinkUp(int replica_port) {
  const std::string info = AskOnce(replica_port, {"INFO", "replication"}).str;
  return info.find("master_link_status:up") != std::string::npos &&
         info.find("master_sync_in_progress:0") != std::string::npos;
}

}  // namespace

Reply AskOnce(int port, const std::vector<std::string>& args) {
  RedisClient client(port);
  client.SetTimeout(std::chrono::seconds(5));
  return client.Command(args);
}

std::map<std::string, std::string> FieldMap(const Reply& flat) {
  std::map<std::string, std::string> fields;
  for (size_t i = 0; i + 1 < flat.elements.size(); i += 2) {
    fields[flat.elements[i].str] = flat.elements[i + 1].str;
  }
  return fields;
}

std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool SentinelCluster::StartEmberNode(size_t i) {
  const int primary_port = i == 0 ? 0 : ember_ports_[0];
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    ServerProcess::SpawnOptions options;
    options.binary = ServerProcess::EmberBinary();
    if (options.binary.empty()) return false;
    options.port = ServerProcess::FreePort();
    options.args = {"ember.conf"};
    options.files = {{"ember.conf", EmberConfig(options.port, primary_port) + extra_lines_[i]}};
    ServerProcess process = ServerProcess::Spawn(options);
    if (process.WaitUntilReady()) {
      ember_ports_.push_back(options.port);
      config_paths_.push_back(process.workdir() + "/ember.conf");
      embers_.push_back(std::move(process));
      return true;
    }
    // The port was taken between FreePort() and bind, or the binary cannot start.
    if (attempt + 1 == kStartAttempts) {
      ADD_FAILURE() << "ember-server node " << i << " did not start; log:\n" << process.ReadLog();
    }
  }
  return false;
}

bool SentinelCluster::StartSentinel(size_t i) {
  if (access(kSentinelBinary, X_OK) != 0) {
    ADD_FAILURE() << kSentinelBinary
                  << " not found: run tools/test (it installs Debian's redis-sentinel, listed in "
                     "tools/lib.sh's EMBER_TEST_PACKAGES), or apt-get install redis-sentinel";
    return false;
  }
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    ServerProcess::SpawnOptions options;
    options.binary = kSentinelBinary;
    options.argv0 = "redis-sentinel";
    options.port = ServerProcess::FreePort();
    // The sentinel rewrites its config file with what it learns, so the file is its own.
    options.args = {"sentinel.conf"};
    options.files = {{"sentinel.conf", SentinelConfig(options.port, ember_ports_[0])}};
    ServerProcess process = ServerProcess::Spawn(options);
    if (process.WaitUntilReady()) {
      sentinels_.push_back(std::move(process));
      return true;
    }
    if (attempt + 1 == kStartAttempts) {
      ADD_FAILURE() << "redis-sentinel " << i << " did not start; log:\n" << process.ReadLog();
    }
  }
  return false;
}

bool SentinelCluster::SentinelSeesEveryone(size_t i) const {
  const int port = sentinels_[i].port();
  const Reply replicas = AskOnce(port, {"SENTINEL", "REPLICAS", kMasterName});
  const Reply sentinels = AskOnce(port, {"SENTINEL", "SENTINELS", kMasterName});
  return CountWithFlags(replicas, "slave") == kEmbers - 1 &&
         CountWithFlags(sentinels, "sentinel") == kSentinels - 1;
}

bool SentinelCluster::Start() {
  for (size_t i = 0; i < kEmbers; ++i) {
    if (!StartEmberNode(i)) return false;
  }
  // Both replicas synchronized before the sentinels start: the first INFO a sentinel reads
  // from the primary lists them.
  for (size_t i = 1; i < kEmbers; ++i) {
    if (!PollFor(kDiscoveryLimit, [&] { return LinkUp(ember_ports_[i]); })) {
      ADD_FAILURE() << "replica " << i << " did not synchronize\n" << Logs();
      return false;
    }
  }
  for (size_t i = 0; i < kSentinels; ++i) {
    if (!StartSentinel(i)) return false;
  }
  // Sentinels find each other through hello messages on the instances (every 2 s).
  for (size_t i = 0; i < kSentinels; ++i) {
    if (!PollFor(kDiscoveryLimit, [&] { return SentinelSeesEveryone(i); })) {
      ADD_FAILURE()
          << "sentinel " << i << " did not see 2 replicas and 2 sentinels:\n"
          << AskOnce(sentinels_[i].port(), {"SENTINEL", "REPLICAS", kMasterName}).ToString() << "\n"
          << AskOnce(sentinels_[i].port(), {"SENTINEL", "SENTINELS", kMasterName}).ToString()
          << "\n"
          << Logs();
      return false;
    }
  }
  return true;
}

std::vector<int> SentinelCluster::sentinel_ports() const {
  std::vector<int> ports;
  for (const ServerProcess& sentinel : sentinels_) ports.push_back(sentinel.port());
  return ports;
}

bool SentinelCluster::Restart(size_t i) {
  retired_.push_back(std::move(embers_[i]));
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  if (options.binary.empty()) return false;
  options.port = ember_ports_[i];
  options.args = {config_paths_[i]};
  embers_[i] = ServerProcess::Spawn(options);
  if (embers_[i].WaitUntilReady()) return true;
  ADD_FAILURE() << "ember-server node " << i << " did not restart from " << config_paths_[i]
                << "; log:\n"
                << embers_[i].ReadLog();
  return false;
}

int SentinelCluster::ReportedMasterPort(size_t sentinel) const {
  const Reply addr =
      AskOnce(sentinels_[sentinel].port(), {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", kMasterName});
  if (addr.type != Reply::Type::kArray || addr.elements.size() != 2 ||
      addr.elements[0].str != "127.0.0.1") {
    return 0;
  }
  return std::stoi(addr.elements[1].str);
}

std::string SentinelCluster::Logs() const {
  std::string logs;
  for (size_t i = 0; i < embers_.size(); ++i) {
    logs += "--- ember " + std::to_string(i) + " (port " + std::to_string(ember_ports_[i]) + ")\n" +
            embers_[i].ReadLog();
  }
  for (size_t i = 0; i < sentinels_.size(); ++i) {
    logs += "--- sentinel " + std::to_string(i) + " (port " + std::to_string(sentinels_[i].port()) +
            ")\n" + sentinels_[i].ReadLog();
  }
  return logs;
}

}  // namespace ember::test
