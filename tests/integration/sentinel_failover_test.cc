// Redis Sentinel 7.0 (Debian's redis-sentinel) managing Ember: three sentinels monitor an Ember
// primary and its two Ember replicas (tests/support/sentinel_cluster.h). After a kill -9 of the
// primary they promote one of the replicas within down-after + 10 s; the promoted replica holds
// every write a WAIT 1 confirmed before the kill; the other replica and the old primary,
// restarted from its config file, follow the new primary. The sentinels reconfigure each Ember
// with REPLICAOF and CONFIG REWRITE inside MULTI, so the config files record the new topology.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/redis_client.h"
#include "tests/support/sentinel_cluster.h"

namespace ember::test {
namespace {

using std::chrono::seconds;

constexpr int kKeys = 200;

std::string Value(const std::string& key) { return "value-of-" + key; }

// Writes kKeys keys on one connection, each followed by WAIT 1 1000; returns the keys whose
// WAIT reported at least one replica.
std::vector<std::string> WriteAcknowledged(int primary_port) {
  RedisClient writer(primary_port);
  std::vector<std::string> acknowledged;
  for (int i = 0; i < kKeys; ++i) {
    const std::string key = "acked:" + std::to_string(i);
    const Reply set = writer.Command({"SET", key, Value(key)});
    EXPECT_EQ(set, Status("OK")) << key;
    const Reply wait = writer.Command({"WAIT", "1", "1000"});
    EXPECT_EQ(wait.type, Reply::Type::kInteger) << wait.ToString();
    if (wait.type == Reply::Type::kInteger && wait.integer >= 1) acknowledged.push_back(key);
  }
  return acknowledged;
}

// Expects every key of `keys` to hold its value on the server at `port` (one MGET).
void ExpectKeysPresent(int port, const std::vector<std::string>& keys, const std::string& who) {
  std::vector<std::string> mget = {"MGET"};
  mget.insert(mget.end(), keys.begin(), keys.end());
  const Reply values = AskOnce(port, mget);
  ASSERT_EQ(values.elements.size(), keys.size()) << who << ": " << values.ToString();
  int missing = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (values.elements[i] == Bulk(Value(keys[i]))) continue;
    if (++missing <= 5) {
      ADD_FAILURE() << who << " lost acknowledged key " << keys[i] << ": "
                    << values.elements[i].ToString();
    }
  }
  EXPECT_EQ(missing, 0) << who << ": acknowledged keys missing (first 5 shown)";
}

// The server on `port` is a replica of 127.0.0.1:primary_port and its link is up:
// ROLE = ["slave", "127.0.0.1", primary_port, "connected", offset].
bool FollowsPrimary(int port, int primary_port) {
  const Reply role = AskOnce(port, {"ROLE"});
  return role.elements.size() == 5 && role.elements[0] == Bulk("slave") &&
         role.elements[1] == Bulk("127.0.0.1") && role.elements[2] == Int(primary_port) &&
         role.elements[3] == Bulk("connected");
}

// The lines of a config file that start with "replicaof".
std::vector<std::string> ReplicaofLines(const std::string& config) {
  std::vector<std::string> lines;
  std::istringstream in(config);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("replicaof")) lines.push_back(line);
  }
  return lines;
}

TEST(SentinelFailoverTest, KillingThePrimaryPromotesAReplicaAndTheOthersFollowIt) {
  SentinelCluster cluster;
  ASSERT_TRUE(cluster.Start());
  const int old_port = cluster.ember_port(0);
  for (size_t s = 0; s < SentinelCluster::kSentinels; ++s) {
    ASSERT_EQ(cluster.ReportedMasterPort(s), old_port) << "sentinel " << s;
  }

  const std::vector<std::string> acknowledged = WriteAcknowledged(old_port);
  ASSERT_FALSE(acknowledged.empty()) << "no WAIT 1 1000 of " << kKeys << " reported a replica";

  cluster.ember(0).Kill();  // SIGKILL: no shutdown work, its replicas see the link drop

  // A sentinel reports a new master within down-after + 10 s, and the others agree.
  int new_port = 0;
  ASSERT_TRUE(PollFor(SentinelCluster::kDownAfter + seconds(10),
                      [&] {
                        for (size_t s = 0; s < SentinelCluster::kSentinels; ++s) {
                          const int reported = cluster.ReportedMasterPort(s);
                          if (reported != 0 && reported != old_port) new_port = reported;
                        }
                        return new_port != 0;
                      }))
      << "no sentinel reported a new master\n"
      << cluster.Logs();
  EXPECT_TRUE(PollFor(seconds(10),
                      [&] {
                        for (size_t s = 0; s < SentinelCluster::kSentinels; ++s) {
                          if (cluster.ReportedMasterPort(s) != new_port) return false;
                        }
                        return true;
                      }))
      << "the sentinels disagree on the new master\n"
      << cluster.Logs();

  // It is one of the replicas, now a primary holding every acknowledged write.
  ASSERT_TRUE(new_port == cluster.ember_port(1) || new_port == cluster.ember_port(2))
      << "new master port " << new_port;
  const size_t promoted = new_port == cluster.ember_port(1) ? 1 : 2;
  const size_t other = promoted == 1 ? 2 : 1;
  const Reply role = AskOnce(new_port, {"ROLE"});
  ASSERT_FALSE(role.elements.empty()) << role.ToString();
  EXPECT_EQ(role.elements[0], Bulk("master")) << role.ToString();
  ExpectKeysPresent(new_port, acknowledged, "the promoted replica");
  // CONFIG REWRITE after REPLICAOF NO ONE removed its replicaof line.
  EXPECT_TRUE(ReplicaofLines(cluster.ConfigText(promoted)).empty()) << cluster.ConfigText(promoted);

  // The other replica replicates the new primary, and its file says so.
  const std::string expected_line = "replicaof 127.0.0.1 " + std::to_string(new_port);
  EXPECT_TRUE(
      PollFor(seconds(20), [&] { return FollowsPrimary(cluster.ember_port(other), new_port); }))
      << AskOnce(cluster.ember_port(other), {"ROLE"}).ToString() << "\n"
      << cluster.Logs();
  EXPECT_EQ(ReplicaofLines(cluster.ConfigText(other)), std::vector<std::string>{expected_line})
      << cluster.ConfigText(other);

  // The old primary, restarted from its file (which names no primary), starts as a primary;
  // the sentinels turn it into a replica of the new one (after 8 s of it looking healthy)
  // and rewrite its file.
  ASSERT_TRUE(cluster.Restart(0));
  EXPECT_TRUE(PollFor(seconds(40), [&] { return FollowsPrimary(old_port, new_port); }))
      << AskOnce(old_port, {"ROLE"}).ToString() << "\n"
      << "sentinel 0 reports the master at port " << cluster.ReportedMasterPort(0) << "\n"
      << cluster.Logs();
  EXPECT_EQ(ReplicaofLines(cluster.ConfigText(0)), std::vector<std::string>{expected_line})
      << cluster.ConfigText(0);
  ExpectKeysPresent(old_port, acknowledged, "the old primary after rejoining");
}

// replica-priority, as Sentinel reads it from INFO (slave_priority): a replica with priority 0
// is never promoted, so killing the primary promotes the other one, and the sentinels list
// the excluded one as a replica of it.
TEST(SentinelFailoverTest, ReplicaWithPriorityZeroIsNeverPromoted) {
  SentinelCluster cluster;
  cluster.AddConfigLine(1, "replica-priority 0");
  ASSERT_TRUE(cluster.Start());
  const int old_port = cluster.ember_port(0);
  EXPECT_NE(AskOnce(cluster.ember_port(1), {"INFO", "replication"}).str.find("slave_priority:0"),
            std::string::npos);
  cluster.ember(0).Kill();
  ASSERT_TRUE(PollFor(SentinelCluster::kDownAfter + seconds(10), [&] {
    const int reported = cluster.ReportedMasterPort(0);
    return reported != 0 && reported != old_port;
  })) << cluster.Logs();
  EXPECT_EQ(cluster.ReportedMasterPort(0), cluster.ember_port(2)) << cluster.Logs();
  EXPECT_TRUE(PollFor(seconds(20),
                      [&] { return FollowsPrimary(cluster.ember_port(1), cluster.ember_port(2)); }))
      << AskOnce(cluster.ember_port(1), {"ROLE"}).ToString() << "\n"
      << cluster.Logs();
}

}  // namespace
}  // namespace ember::test
