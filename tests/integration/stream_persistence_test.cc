// Streams and their consumer groups through the append-only file and RDB files, against the
// reference redis-server 7.0:
// - the AOF holds what Redis's holds for the same commands (XREADGROUP and XCLAIM as the
//   idempotent XCLAIM ... FORCE JUSTID LASTID form, NOACK reads as XGROUP SETID, approximate
//   trims made exact; delivery times normalized, being clocks);
// - replaying Ember's AOF rebuilds the groups, and redis-server replays it too;
// - a dump with groups moves both ways between the servers with the same groups, pending
//   entries (owners, delivery times and counts) and consumers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"
#include "tests/support/temp_dir.h"

namespace ember::test {
namespace {

using Argv = std::vector<std::string>;

// clang-format off
const std::vector<Argv> kSent = {
    {"XADD", "s", "1-1", "f", "v1"},
    {"XADD", "s", "2-1", "f", "v2"},
    {"XADD", "s", "3-1", "g", "v3"},
    {"XGROUP", "CREATE", "s", "workers", "0"},
    {"XGROUP", "CREATE", "s", "audit", "$", "ENTRIESREAD", "3"},
    {"XGROUP", "CREATE", "fresh", "g", "$", "MKSTREAM"},
    {"XREADGROUP", "GROUP", "workers", "alice", "COUNT", "2", "STREAMS", "s", ">"},
    {"XREADGROUP", "GROUP", "workers", "bob", "STREAMS", "s", ">"},
    {"XREADGROUP", "GROUP", "workers", "bob", "STREAMS", "s", ">"},
    {"XACK", "s", "workers", "1-1"},
    {"XCLAIM", "s", "workers", "carol", "0", "2-1", "JUSTID"},
    {"XADD", "s", "4-1", "f", "v4"},
    {"XREADGROUP", "GROUP", "audit", "dan", "NOACK", "STREAMS", "s", ">"},
    {"XGROUP", "CREATECONSUMER", "s", "workers", "erin"},
    {"XDEL", "s", "3-1"},
    {"XAUTOCLAIM", "s", "workers", "frank", "0", "0"},
    {"XGROUP", "SETID", "s", "audit", "2-1"},
    {"XGROUP", "DELCONSUMER", "s", "workers", "alice"},
    {"XADD", "s", "MAXLEN", "~", "1", "5-1", "f", "v5"},
    {"XTRIM", "s", "MINID", "2"},
    {"XSETID", "s", "9-9"},
};
// clang-format on

// Delivery times are the servers' clocks: only their presence is compared.
std::vector<Argv> WithoutTimes(std::vector<Argv> logged) {
  for (Argv& argv : logged) {
    for (size_t i = 0; i + 1 < argv.size(); ++i) {
      if (argv[0] == "XCLAIM" && argv[i] == "TIME") argv[i + 1] = "<time>";
    }
  }
  return logged;
}

// What a stream's groups look like, minus the clocks: groups, each consumer's pending count,
// and the pending entries' owners and delivery counts. Without `counters`, the groups'
// entries-read and lag are left out: a replay cannot restore them (Redis's XCLAIM LASTID
// moves a group without counting), in Redis as in Ember.
std::vector<Reply> GroupState(RedisClient& client, const std::string& key, bool counters = true) {
  std::vector<Reply> state;
  Reply groups = client.Command({"XINFO", "GROUPS", key});
  if (!counters) {
    for (Reply& group : groups.elements) group.elements.resize(8);
  }
  state.push_back(groups);
  state.push_back(client.Command({"XLEN", key}));
  state.push_back(client.Command({"XRANGE", key, "-", "+"}));
  for (const std::string group : {"workers", "audit"}) {
    state.push_back(client.Command({"XPENDING", key, group}));
    Reply rows = client.Command({"XPENDING", key, group, "-", "+", "100"});
    for (Reply& row : rows.elements) row.elements[2] = Reply();  // idle time
    state.push_back(rows);
    Reply consumers = client.Command({"XINFO", "CONSUMERS", key, group});
    for (Reply& consumer : consumers.elements) consumer.elements.resize(4);  // name, pending
    state.push_back(consumers);
  }
  return state;
}

TEST(StreamPersistenceTest, TheLogHoldsWhatRedisLogs) {
  aof::TempDir ember_dir;
  aof::TempDir redis_dir;
  ServerProcess ember = aof::StartAof(ember_dir.path(), {"--appendfsync", "always"});
  ServerProcess redis = ServerProcess::StartReference(
      {"--dir", redis_dir.path(), "--appendonly", "yes", "--appendfsync", "always"});
  {
    RedisClient ember_client(ember.port());
    RedisClient redis_client(redis.port());
    for (const Argv& command : kSent) {
      Reply from_ember = ember_client.Command(command);
      Reply from_redis = redis_client.Command(command);
      if (command[0] == "XPENDING") continue;
      EXPECT_EQ(from_ember, from_redis) << command[0] << " " << command[1];
    }
  }
  aof::StopServer(ember, aof::StopKind::kSigkill);
  const std::vector<Argv> logged = WithoutTimes(aof::LoggedInDb0(ember_dir.path()));
  EXPECT_EQ(logged, WithoutTimes(aof::LoggedInDb0(redis_dir.path())));
  ASSERT_FALSE(logged.empty());
}

TEST(StreamPersistenceTest, TheDirtyCounterMovesAsTheReferences) {
  aof::ExpectDirtyCountsMatchReference(kSent);
}

TEST(StreamPersistenceTest, ReplayingTheLogRebuildsTheGroupsInBothServers) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  std::vector<Reply> before;
  {
    RedisClient client(server.port());
    for (const Argv& command : kSent) client.Command(command);
    before = GroupState(client, "s", false);
  }
  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  {
    RedisClient client(server.port());
    EXPECT_EQ(GroupState(client, "s", false), before);
    // A rewrite's base (XADD, XSETID, XGROUP CREATE, XCLAIM) rebuilds the same state.
    aof::Rewrite(client);
  }
  aof::StopServer(server, aof::StopKind::kShutdown);
  server = aof::StartAof(dir.path());
  {
    RedisClient client(server.port());
    EXPECT_EQ(GroupState(client, "s", false), before);
  }
  aof::StopServer(server, aof::StopKind::kShutdown);
  ServerProcess redis = ServerProcess::StartReference({"--dir", dir.path(), "--appendonly", "yes"});
  RedisClient redis_client(redis.port());
  EXPECT_EQ(GroupState(redis_client, "s", false), before);
}

TEST(StreamPersistenceTest, DumpsWithGroupsMoveBothWays) {
  for (const bool ember_writes : {true, false}) {
    TempDir dir;
    std::vector<Reply> before;
    {
      ServerProcess writer = ember_writes
                                 ? ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""})
                                 : ServerProcess::StartReference({"--dir", dir.path()});
      RedisClient client(writer.port());
      for (const Argv& command : kSent) client.Command(command);
      before = GroupState(client, "s");
      before.push_back(client.Command({"XINFO", "STREAM", "s", "FULL"}).elements.back());
      ASSERT_EQ(client.Command({"SAVE"}), Status("OK"));
    }
    ServerProcess reader = ember_writes
                               ? ServerProcess::StartReference({"--dir", dir.path()})
                               : ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
    RedisClient client(reader.port());
    std::vector<Reply> after = GroupState(client, "s");
    // FULL's groups carry the clocks as they were saved: equal when the file moved whole.
    after.push_back(client.Command({"XINFO", "STREAM", "s", "FULL"}).elements.back());
    EXPECT_EQ(after, before) << (ember_writes ? "Ember's dump in Redis" : "Redis's dump in Ember");
  }
}

}  // namespace
}  // namespace ember::test
