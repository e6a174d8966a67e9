// Replication settings that act on a peer gone silent or on time passing, with a frozen
// (SIGSTOP) server standing for a hung one: repl-timeout on a replica (its primary's silence
// drops the link, which comes back by partial resynchronization) and on a primary (a replica
// that stops acknowledging is disconnected); the replica class of client-output-buffer-limit
// closing a replica that stops reading; repl-backlog-ttl freeing the backlog of a primary
// left without replicas. Ember's log lines are Redis 7.0's sentences, and wherever both can
// play a part the same scenario runs against redis-server.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/integration/replication_test_util.h"

namespace ember::test::repl {
namespace {

bool Logged(const ServerProcess& process, const std::string& text) {
  return process.ReadLog().find(text) != std::string::npos;
}

TEST(ReplicationSettingsTest, ReplicaDropsASilentPrimaryAfterReplTimeout) {
  // A PING every second keeps the link alive while the primary runs.
  ServerProcess primary_process = StartPrimary(Server::kRedis, {"--repl-ping-replica-period", "1"});
  const Argv timeout = {"--repl-timeout", "2"};
  ServerProcess ember_process = StartReplica(Server::kEmber, primary_process.port(), timeout);
  ServerProcess redis_process = StartReplica(Server::kRedis, primary_process.port(), timeout);
  RedisClient primary(primary_process.port());
  RedisClient ember(ember_process.port());
  RedisClient redis(redis_process.port());
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SET", "k", "v"}}));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, ember));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, redis));
  {
    FrozenProcess frozen(primary_process);
    EXPECT_TRUE(PollUntil([&] {
      return InfoField(ember, "replication", "master_link_status") == "down" &&
             InfoField(redis, "replication", "master_link_status") == "down";
    })) << ember.Command({"INFO", "replication"}).str;
    EXPECT_TRUE(Logged(ember_process, "MASTER timeout: no data nor PING received..."))
        << ember_process.ReadLog();
    EXPECT_TRUE(Logged(redis_process, "MASTER timeout: no data nor PING received..."));
  }
  ASSERT_TRUE(PollUntil([&] {
    return InfoInt(primary, "stats", "sync_partial_ok") >= 2 && LinkUp(ember) && LinkUp(redis);
  })) << primary.Command({"INFO", "stats"}).str
      << ember.Command({"INFO", "replication"}).str;
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 2);
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SET", "after", "1"}}));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, ember));
  ExpectSameData(primary, ember);
}

TEST(ReplicationSettingsTest, PrimaryDropsASilentReplicaAfterReplTimeout) {
  ServerProcess ember = StartPrimary(Server::kEmber, {"--repl-timeout", "2"});
  ServerProcess redis = StartReplica(Server::kRedis, ember.port());
  RedisClient primary(ember.port());
  RedisClient replica(redis.port());
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SET", "k", "v"}}));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  {
    FrozenProcess frozen(redis);
    ASSERT_NO_FATAL_FAILURE(WaitForConnectedReplicas(primary, 0));
    EXPECT_TRUE(Logged(ember, "Disconnecting timedout replica (streaming sync): 127.0.0.1:" +
                                  std::to_string(redis.port())))
        << ember.ReadLog();
    EXPECT_EQ(primary.Command({"SET", "while-frozen", "1"}), Status("OK"));
  }
  ASSERT_NO_FATAL_FAILURE(WaitForConnectedReplicas(primary, 1));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  EXPECT_EQ(replica.Command({"GET", "while-frozen"}), Bulk("1"));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_partial_ok"), 1);
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
}

TEST(ReplicationSettingsTest, ReplicaOverItsOutputBufferLimitIsDisconnected) {
  const Argv limit = {"--client-output-buffer-limit", "replica 1mb 0 0"};
  ServerProcess ember = StartPrimary(Server::kEmber, limit);
  RedisClient primary(ember.port());
  {
    // The class is named "replica" or "slave", in flags as in CONFIG SET.
    ServerProcess reference = StartServer(Server::kRedis, limit);
    RedisClient redis(reference.port());
    for (const Argv& command :
         std::vector<Argv>{{"CONFIG", "GET", "client-output-buffer-limit"},
                           {"CONFIG", "SET", "client-output-buffer-limit", "slave 2mb 0 0"},
                           {"CONFIG", "GET", "client-output-buffer-limit"},
                           {"CONFIG", "SET", "client-output-buffer-limit", "replica 1mb 0 0"},
                           {"CONFIG", "GET", "client-output-buffer-limit"}}) {
      EXPECT_EQ(primary.Command(command), redis.Command(command)) << command[1];
    }
  }
  ServerProcess redis = StartReplica(Server::kRedis, ember.port());
  RedisClient replica(redis.port());
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  RedisClient other(ember.port());
  const std::string value(10'000, 'x');
  {
    FrozenProcess frozen(redis);
    // The sockets' kernel buffers take a few MB before the primary holds any of the stream:
    // 1 MB batches until the replica is dropped.
    int batches = 0;
    for (; batches < 40 && InfoInt(primary, "replication", "connected_slaves") == 1; ++batches) {
      std::vector<Argv> sets;
      for (int i = 0; i < 100; ++i) {
        sets.push_back({"SET", "big:" + std::to_string(batches * 100 + i), value});
      }
      ASSERT_NO_FATAL_FAILURE(SendAll(primary, sets));
    }
    ASSERT_NO_FATAL_FAILURE(WaitForConnectedReplicas(primary, 0));
    EXPECT_GE(batches, 2);
    EXPECT_TRUE(
        Logged(ember, "scheduled to be closed ASAP for overcoming of output buffer limits."))
        << ember.ReadLog();
    EXPECT_EQ(other.Command({"GET", "big:0"}), Bulk(value));
    EXPECT_EQ(other.Command({"SET", "small", "1"}), Status("OK"));
  }
  ASSERT_NO_FATAL_FAILURE(WaitForConnectedReplicas(primary, 1));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  ExpectSameData(primary, replica);
}

TEST(ReplicationSettingsTest, BacklogIsFreedAfterReplBacklogTtlWithoutReplicas) {
  const Argv ttl = {"--repl-backlog-ttl", "1"};
  ServerProcess ember_primary = StartPrimary(Server::kEmber, ttl);
  ServerProcess redis_primary = StartPrimary(Server::kRedis, ttl);
  ServerProcess ember_replica = StartReplica(Server::kEmber, ember_primary.port());
  ServerProcess redis_replica = StartReplica(Server::kRedis, redis_primary.port());
  RedisClient ember(ember_primary.port());
  RedisClient redis(redis_primary.port());
  std::vector<std::string> replids;
  for (auto [primary, replica_process] :
       {std::pair{&ember, &ember_replica}, std::pair{&redis, &redis_replica}}) {
    RedisClient replica(replica_process->port());
    ASSERT_NO_FATAL_FAILURE(SendAll(*primary, {{"SET", "k", "v"}}));
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(*primary, replica));
    EXPECT_EQ(InfoField(*primary, "replication", "repl_backlog_active"), "1");
    replids.push_back(InfoField(*primary, "replication", "master_replid"));
    replica.Command({"SHUTDOWN", "NOSAVE"});
    EXPECT_TRUE(replica_process->WaitForExit(std::chrono::seconds(10)).has_value());
  }
  ASSERT_TRUE(PollUntil([&] {
    return InfoField(ember, "replication", "repl_backlog_active") == "0" &&
           InfoField(redis, "replication", "repl_backlog_active") == "0";
  })) << ember.Command({"INFO", "replication"}).str;
  EXPECT_NE(InfoField(ember, "replication", "master_replid"), replids[0]);
  EXPECT_NE(InfoField(redis, "replication", "master_replid"), replids[1]);
  EXPECT_EQ(InfoFieldNames(ember, "replication"), InfoFieldNames(redis, "replication"));
  for (const char* field :
       {"connected_slaves", "master_replid2", "second_repl_offset", "repl_backlog_active",
        "repl_backlog_first_byte_offset", "repl_backlog_histlen"}) {
    EXPECT_EQ(InfoField(ember, "replication", field), InfoField(redis, "replication", field))
        << field;
  }
  const std::string freed = "Replication backlog freed after 1 seconds without connected replicas.";
  EXPECT_TRUE(Logged(ember_primary, freed)) << ember_primary.ReadLog();
  EXPECT_TRUE(Logged(redis_primary, freed));
}

}  // namespace
}  // namespace ember::test::repl
