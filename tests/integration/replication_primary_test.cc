// Ember as a replication primary with the reference redis-server 7.0 as its replica: a full
// synchronization (the snapshot streamed diskless, or written to dir/dump.rdb and sent)
// leaves the replica with Ember's data in every database, every type and expiry included;
// the command stream keeps it identical through a mixed write load (MULTI/EXEC, scripts,
// database switches, keys that expire on Ember); a replica that lost its link, or restarted
// from the dump it saved, continues by partial resynchronization from the backlog.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/replication_test_util.h"

namespace ember::test::repl {
namespace {

// Writes of every kind, alternating between databases 0 and 3 (so the stream switches
// database often), then a MULTI/EXEC block and a script that writes two keys.
std::vector<Argv> WriteLoad(int round) {
  std::vector<Argv> commands;
  for (int i = 0; i < 60; ++i) {
    const std::string n = std::to_string(round * 1000 + i);
    commands.push_back({"SELECT", i % 2 == 0 ? "0" : "3"});
    commands.insert(commands.end(), {{"SET", "w:" + n, "value-" + n},
                                     {"SET", "ttl:" + n, n, "EX", "100000"},
                                     {"INCR", "counter"},
                                     {"HSET", "h:small", "f" + n, n},
                                     {"HSET", "h:big", "field-" + std::to_string(i), "new-" + n},
                                     {"SADD", "set:int", n},
                                     {"ZADD", "z:big", std::to_string(i * 1.5), "new-" + n},
                                     {"LPUSH", "l:big", "new-" + n},
                                     {"XADD", "x", "*", "i", n},
                                     {"DEL", "s:" + std::to_string(i)},
                                     {"EXPIRE", "s:" + std::to_string(i + 100), "100000"}});
  }
  commands.insert(commands.end(), {{"MULTI"},
                                   {"INCRBY", "counter", "100"},
                                   {"HDEL", "h:small", "f"},
                                   {"SREM", "set:str", "a"},
                                   {"ZINCRBY", "z:small", "5", "a"},
                                   {"RPOP", "l:small"},
                                   {"EXEC"}});
  commands.push_back({"EVAL",
                      "redis.call('SET', KEYS[1], ARGV[1]) "
                      "return redis.call('INCRBY', KEYS[2], 5)",
                      "2", "script:" + std::to_string(round), "counter", "from-lua"});
  commands.push_back({"SELECT", "0"});
  return commands;
}

TEST(ReplicationPrimaryTest, DisklessFullSyncAndStreamKeepReplicaIdentical) {
  // A slow snapshot walk (a pause per key), so that writes can land while it runs.
  ServerProcess ember = StartPrimary(Server::kEmber, {"--rdb-key-save-delay", "500"});
  RedisClient primary(ember.port());
  for (int db : {0, 2, 3, 7}) FillEveryType(primary, db, 200);
  ServerProcess redis = StartReplica(Server::kRedis, ember.port());
  RedisClient replica(redis.port());

  // Writes while the snapshot is being made reach the replica after it, in order.
  ASSERT_NO_FATAL_FAILURE(WaitForSnapshotInProgress(primary));
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, WriteLoad(0)));
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
  const Fingerprint synced = ReadFingerprint(primary);
  ExpectSameFingerprint(ReadFingerprint(replica), synced);
  EXPECT_EQ(Digest(replica), Digest(primary));

  ASSERT_NO_FATAL_FAILURE(SendAll(primary, WriteLoad(1)));
  // A key that expires on Ember: the replica keeps it (logically expired, still counted by
  // DBSIZE) until the DEL Ember propagates arrives.
  const long long expired_before = InfoInt(primary, "stats", "expired_keys");
  EXPECT_EQ(primary.Command({"SET", "short-lived", "v", "PX", "100"}), Status("OK"));
  EXPECT_EQ(primary.Command({"WAIT", "1", "5000"}), Int(1));  // the replica has the key
  ASSERT_TRUE(
      PollUntil([&] { return InfoInt(primary, "stats", "expired_keys") > expired_before; }));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  const Fingerprint after_load = ReadFingerprint(primary);
  EXPECT_NE(after_load, synced);
  ExpectSameFingerprint(ReadFingerprint(replica), after_load);
  EXPECT_EQ(replica.Command({"DBSIZE"}), primary.Command({"DBSIZE"}));
  EXPECT_EQ(Digest(replica), Digest(primary));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
}

TEST(ReplicationPrimaryTest, DiskBackedFullSyncWritesTheDumpAndSendsIt) {
  TempDir dir;
  ServerProcess ember =
      StartPrimary(Server::kEmber, {"--repl-diskless-sync", "no", "--dir", dir.path()});
  RedisClient primary(ember.port());
  FillEveryType(primary, 0, 50);
  FillEveryType(primary, 4, 50);
  const std::string dump = dir.file("dump.rdb");
  ASSERT_FALSE(std::filesystem::exists(dump));

  ServerProcess redis = StartReplica(Server::kRedis, ember.port());
  RedisClient replica(redis.port());
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));
  EXPECT_TRUE(std::filesystem::exists(dump));
  auto [status, output] = rdb::RedisCheckRdb(dump);
  EXPECT_EQ(status, 0) << output;
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  ExpectSameData(primary, replica);

  ASSERT_NO_FATAL_FAILURE(SendAll(primary, WriteLoad(0)));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  ExpectSameData(primary, replica);
}

TEST(ReplicationPrimaryTest, ReplicaThatLostItsLinkContinuesByPartialResync) {
  ServerProcess ember = StartPrimary(Server::kEmber);
  RedisClient primary(ember.port());
  FillEveryType(primary, 0, 50);
  ServerProcess redis = StartReplica(Server::kRedis, ember.port());
  RedisClient replica(redis.port());
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));

  // A wrong masterauth makes every reconnection fail at AUTH, before PSYNC, so the writes
  // made while the link is down reach the replica only from the backlog, once it is cleared.
  ASSERT_NO_FATAL_FAILURE(CutLink(primary, replica));
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, WriteLoad(0)));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
  ASSERT_NO_FATAL_FAILURE(RestoreLink(replica));
  ASSERT_NO_FATAL_FAILURE(WaitForPartialResync(primary, replica));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_partial_ok"), 1);
  EXPECT_EQ(InfoInt(primary, "stats", "sync_partial_err"), 0);
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  ExpectSameData(primary, replica);
}

TEST(ReplicationPrimaryTest, RestartedReplicaContinuesFromItsDumpByPartialResync) {
  TempDir replica_dir;
  ServerProcess ember = StartPrimary(Server::kEmber);
  RedisClient primary(ember.port());
  FillEveryType(primary, 0, 50);
  ServerProcess redis = StartReplica(Server::kRedis, ember.port(), {"--dir", replica_dir.path()});
  {
    RedisClient replica(redis.port());
    ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));
    // The stream's last SELECT is database 3: the restarted replica must still apply what
    // follows there (its dump records the stream's database).
    ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SELECT", "3"}, {"SET", "before-restart", "1"}}));
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
    replica.Command({"SHUTDOWN", "SAVE"});
  }
  EXPECT_EQ(redis.WaitForExit(std::chrono::seconds(10)), std::optional<int>(0));
  ASSERT_TRUE(std::filesystem::exists(replica_dir.file("dump.rdb")));

  ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SET", "while-down", "db3"},
                                            {"HSET", "h:small", "down", "yes"},
                                            {"SELECT", "0"},
                                            {"SET", "while-down", "db0"},
                                            {"DEL", "s:1"}}));
  redis = StartReplica(Server::kRedis, ember.port(), {"--dir", replica_dir.path()});
  RedisClient replica(redis.port());
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_partial_ok"), 1);
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  EXPECT_EQ(GetIn(replica, 3, "while-down"), Bulk("db3"));
  EXPECT_EQ(GetIn(replica, 0, "while-down"), Bulk("db0"));
  ExpectSameData(primary, replica);
}

}  // namespace
}  // namespace ember::test::repl
