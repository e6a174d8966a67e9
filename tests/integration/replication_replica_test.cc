// Ember as a replica, of Debian's redis-server 7.0 or of another Ember: the full
// synchronization leaves it with the primary's data (every type, expiry times, several
// databases, functions); the stream keeps it identical through a write load (database
// switches, MULTI/EXEC, scripts and functions, commands the primary rewrites before
// propagating, keys that expire on the primary); it acknowledges its offset every second
// (WAIT on the primary counts it); a sub-replica chained off it receives the same stream; a
// cut link continues by partial resynchronization from the primary's backlog.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/replication_test_util.h"
#include "tests/support/temp_dir.h"

namespace ember::test::repl {
namespace {

constexpr const char* kLibrary =
    "#!lua name=replib\n"
    "redis.register_function('bump', function(keys, args) "
    "return redis.call('INCRBY', keys[1], args[1]) end)";

// Writes of every kind over databases 0, 3 and 7 (the stream switches database often),
// commands the primary propagates in another form (SPOP as SREM, INCRBYFLOAT as SET,
// XADD * with the ID, EX as PXAT, XREADGROUP as XCLAIM), MULTI/EXEC with a SELECT inside,
// a script and a function that write, SWAPDB, MOVE and COPY across databases.
std::vector<Argv> WriteLoad(int round) {
  std::vector<Argv> commands;
  const std::string r = std::to_string(round);
  for (int i = 0; i < 30; ++i) {
    const std::string n = r + "-" + std::to_string(i);
    const std::string s = std::to_string(i);
    commands.push_back({"SELECT", i % 3 == 0 ? "0" : (i % 3 == 1 ? "3" : "7")});
    commands.insert(commands.end(), {{"SET", "w:" + n, "value-" + n},
                                     {"SET", "ttl:" + n, n, "EX", "100000"},
                                     {"INCR", "counter"},
                                     {"INCRBYFLOAT", "float", "1.5"},
                                     {"APPEND", "appended", n},
                                     {"HSET", "h:small", "f" + n, n},
                                     {"HSET", "h:big", "field-" + s, "new-" + n},
                                     {"SADD", "set:int", std::to_string(1000 + i)},
                                     {"SPOP", "set:big"},
                                     {"ZADD", "z:big", std::to_string(i * 1.5), "new-" + n},
                                     {"ZPOPMIN", "z:small"},
                                     {"LPUSH", "l:big", "new-" + n},
                                     {"LMOVE", "l:big", "l:moved", "LEFT", "RIGHT"},
                                     {"XADD", "x", "*", "i", n},
                                     {"GETEX", "s:" + std::to_string(i + 30), "PX", "9000000"},
                                     {"DEL", "s:" + s},
                                     {"EXPIRE", "s:" + std::to_string(i + 100), "100000"},
                                     {"PERSIST", "s:" + std::to_string(i + 60)}});
  }
  commands.insert(
      commands.end(),
      {{"SELECT", "0"},
       {"XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "x", ">"},
       {"XACK", "x", "g", "1-1"},
       {"XCLAIM", "x", "g", "carol", "0", "2-1"},
       {"XAUTOCLAIM", "x", "g", "dave", "0", "0-0", "COUNT", "1"},
       {"MULTI"},
       {"INCRBY", "counter", "100"},
       {"HINCRBY", "h:small", "n", "3"},
       {"HDEL", "h:small", "f"},
       {"SELECT", "2"},
       {"SET", "in-multi:" + r, "db2"},
       {"RPOP", "l:small"},
       {"EXEC"},
       {"EVAL", "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCRBY', KEYS[2], 5)", "2",
        "script:" + r, "counter", "from-lua"},
       {"FCALL", "bump", "1", "counter", "7"},
       {"SET", "to-move:" + r, "m"},
       {"MOVE", "to-move:" + r, "11"},
       {"COPY", "counter", "copied:" + r, "DB", "12"},
       {"SELECT", "13"},
       {"SET", "swapped:" + r, "from-13"},
       {"SWAPDB", "13", "14"},
       {"SELECT", "0"}});
  return commands;
}

// The fields of the primary's INFO replication line for its first replica ("slave0").
std::string ReplicaLineField(RedisClient& primary, const std::string& field) {
  const std::string line = "," + InfoField(primary, "replication", "slave0") + ",";
  const size_t at = line.find("," + field + "=");
  if (at == std::string::npos) return "";
  const size_t start = at + field.size() + 2;
  return line.substr(start, line.find(',', start) - start);
}

// Sends a write load and a key that expires on the primary (which then deletes it and
// propagates the DEL), and expects every replica identical to the primary once settled.
void ExpectReplicasFollowTheLoad(RedisClient& primary, const std::vector<RedisClient*>& replicas,
                                 int round) {
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, WriteLoad(round)));
  EXPECT_EQ(primary.Command({"SET", "short-lived", "v", "PX", "200"}), Status("OK"));
  ASSERT_TRUE(PollUntil([&] { return primary.Command({"EXISTS", "short-lived"}) == Int(0); }));
  for (RedisClient* replica : replicas) {
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, *replica));
    EXPECT_EQ(replica->Command({"EXISTS", "short-lived"}), Int(0));
    ExpectSameData(primary, *replica);
  }
}

TEST(ReplicationReplicaTest, SyncsFromRedisAndFollowsItsStream) {
  ServerProcess redis = StartPrimary(Server::kRedis);
  RedisClient primary(redis.port());
  for (int db : {0, 2, 3, 9}) FillEveryType(primary, db, 150);
  ASSERT_EQ(primary.Command({"FUNCTION", "LOAD", kLibrary}), Bulk("replib"));

  ServerProcess ember = StartReplica(Server::kEmber, redis.port());
  RedisClient replica(ember.port());
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
  EXPECT_EQ(InfoField(replica, "replication", "master_replid"),
            InfoField(primary, "replication", "master_replid"));
  ExpectSameData(primary, replica);

  ASSERT_NO_FATAL_FAILURE(ExpectReplicasFollowTheLoad(primary, {&replica}, 0));

  // REPLCONF ACK once a second, unasked: the primary learns the replica's offset (and the
  // port it announced) without a WAIT asking for it.
  EXPECT_EQ(ReplicaLineField(primary, "port"), std::to_string(ember.port()));
  EXPECT_TRUE(PollUntil([&] {
    return ReplicaLineField(primary, "offset") ==
           InfoField(primary, "replication", "master_repl_offset");
  })) << primary.Command({"INFO", "replication"}).str;
  EXPECT_EQ(primary.Command({"SET", "acked", "1"}), Status("OK"));
  EXPECT_EQ(primary.Command({"WAIT", "1", "1000"}), Int(1));
  EXPECT_EQ(replica.Command({"GET", "acked"}), Bulk("1"));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
}

TEST(ReplicationReplicaTest, SyncsFromEmberAndProxiesTheStreamToASubReplica) {
  ServerProcess ember_primary = StartPrimary(Server::kEmber);
  RedisClient primary(ember_primary.port());
  for (int db : {0, 3, 9}) FillEveryType(primary, db, 150);
  ASSERT_EQ(primary.Command({"FUNCTION", "LOAD", kLibrary}), Bulk("replib"));

  ServerProcess first =
      StartReplica(Server::kEmber, ember_primary.port(), {"--repl-diskless-sync-delay", "0"});
  RedisClient replica(first.port());
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));
  ServerProcess second = StartReplica(Server::kEmber, first.port());
  RedisClient sub_replica(second.port());
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(sub_replica));
  for (RedisClient* client : {&replica, &sub_replica}) {
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, *client));
    // One history: the sub-replica shares the primary's replication ID and offsets.
    EXPECT_EQ(InfoField(*client, "replication", "master_replid"),
              InfoField(primary, "replication", "master_replid"));
    ExpectSameData(primary, *client);
  }
  EXPECT_EQ(InfoInt(primary, "replication", "connected_slaves"), 1);
  EXPECT_EQ(InfoInt(replica, "replication", "connected_slaves"), 1);
  EXPECT_EQ(InfoField(replica, "replication", "role"), "slave");

  ASSERT_NO_FATAL_FAILURE(ExpectReplicasFollowTheLoad(primary, {&replica, &sub_replica}, 0));
  EXPECT_EQ(primary.Command({"WAIT", "1", "1000"}), Int(1));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
  EXPECT_EQ(InfoInt(replica, "stats", "sync_full"), 1);
}

// CLIENT KILL TYPE master cuts the replica's link; a wrong masterauth keeps it from coming
// back until the writes are made, so they reach it only from the primary's backlog.
void LinkCutContinuesByPartialResync(Server primary_server) {
  ServerProcess primary_process = StartPrimary(primary_server);
  RedisClient primary(primary_process.port());
  FillEveryType(primary, 0, 60);
  FillEveryType(primary, 4, 60);
  ASSERT_EQ(primary.Command({"FUNCTION", "LOAD", kLibrary}), Bulk("replib"));
  ServerProcess ember = StartReplica(Server::kEmber, primary_process.port());
  RedisClient replica(ember.port());
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SELECT", "4"}, {"SET", "before", "1"}}));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  ASSERT_EQ(InfoInt(primary, "stats", "sync_full"), 1);

  ASSERT_NO_FATAL_FAILURE(CutLink(primary, replica));
  ASSERT_NO_FATAL_FAILURE(WaitForLinkDown(replica));
  // The primary's stream is still in database 4: these need no SELECT to land there.
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SELECT", "4"},
                                            {"SET", "while-cut", "db4"},
                                            {"HSET", "h:small", "cut", "yes"},
                                            {"XADD", "x", "*", "cut", "1"},
                                            {"SELECT", "0"},
                                            {"SET", "while-cut", "db0"},
                                            {"DEL", "s:1"}}));
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, WriteLoad(1)));
  ASSERT_NO_FATAL_FAILURE(RestoreLink(replica));
  ASSERT_NO_FATAL_FAILURE(WaitForPartialResync(primary, replica));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_partial_ok"), 1);
  EXPECT_EQ(InfoInt(primary, "stats", "sync_partial_err"), 0);
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  EXPECT_EQ(GetIn(replica, 0, "while-cut"), Bulk("db0"));
  EXPECT_EQ(GetIn(replica, 4, "while-cut"), Bulk("db4"));
  ExpectSameData(primary, replica);
}

TEST(ReplicationReplicaTest, LinkCutFromRedisContinuesByPartialResync) {
  LinkCutContinuesByPartialResync(Server::kRedis);
}

TEST(ReplicationReplicaTest, LinkCutFromEmberContinuesByPartialResync) {
  LinkCutContinuesByPartialResync(Server::kEmber);
}

// A snapshot of several megabytes, framed by length (written to disk first) or by an end
// mark (streamed), with writes made while the primary produces it (a delay per key keeps it
// running): the replica loads it and then applies the writes held for it.
void LargeSnapshotThenHeldWrites(bool diskless) {
  ServerProcess redis = StartPrimary(
      Server::kRedis,
      {"--repl-diskless-sync", diskless ? "yes" : "no", "--rdb-key-save-delay", "100"});
  RedisClient primary(redis.port());
  rdb::Pipeline(primary, 4'000, [](size_t i) -> Argv {
    return {"SET", "big:" + std::to_string(i), std::string(1500, 'a' + i % 26)};
  });
  FillEveryType(primary, 0, 100);
  ASSERT_EQ(primary.Command({"FUNCTION", "LOAD", kLibrary}), Bulk("replib"));
  ServerProcess ember = StartReplica(Server::kEmber, redis.port());
  RedisClient replica(ember.port());
  ASSERT_NO_FATAL_FAILURE(WaitForSnapshotInProgress(primary));
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, WriteLoad(0)));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
  ExpectSameData(primary, replica);
}

TEST(ReplicationReplicaTest, LargeDiskSnapshotThenHeldWrites) {
  LargeSnapshotThenHeldWrites(false);
}

TEST(ReplicationReplicaTest, LargeDisklessSnapshotThenHeldWrites) {
  LargeSnapshotThenHeldWrites(true);
}

// With the AOF on, a full synchronization rewrites the AOF (the snapshot's data never comes
// as commands), and the stream is appended to it: restarted alone from its AOF (the synced
// dump removed), the replica has the whole dataset.
TEST(ReplicationReplicaTest, AofOfAReplicaHoldsTheSyncedDataAndTheStream) {
  TempDir dir;
  ServerProcess redis = StartPrimary(Server::kRedis);
  RedisClient primary(redis.port());
  FillEveryType(primary, 0, 100);
  FillEveryType(primary, 2, 100);
  ASSERT_EQ(primary.Command({"FUNCTION", "LOAD", kLibrary}), Bulk("replib"));
  const Argv persistence = {"--dir", dir.path(), "--appendonly", "yes", "--save", ""};
  ServerProcess ember = StartReplica(Server::kEmber, redis.port(), persistence);
  {
    RedisClient replica(ember.port());
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
    ASSERT_NO_FATAL_FAILURE(SendAll(primary, WriteLoad(0)));
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
    ExpectSameData(primary, replica);
    ASSERT_TRUE(PollUntil([&] {
      return InfoInt(replica, "persistence", "aof_rewrite_in_progress") == 0 &&
             InfoInt(replica, "persistence", "aof_rewrite_scheduled") == 0;
    })) << replica.Command({"INFO", "persistence"}).str;
    EXPECT_EQ(InfoField(replica, "persistence", "aof_last_bgrewrite_status"), "ok");
  }
  EXPECT_EQ(ember.Stop(), 0);
  std::filesystem::remove(dir.file("dump.rdb"));

  ember = ServerProcess::StartEmber(Concat(persistence, {"--enable-debug-command", "yes"}));
  RedisClient restarted(ember.port());
  EXPECT_EQ(InfoField(restarted, "replication", "role"), "master");
  ExpectSameData(primary, restarted);
}

}  // namespace
}  // namespace ember::test::repl
