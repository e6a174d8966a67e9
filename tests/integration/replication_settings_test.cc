// Replication settings of a primary, each tried on an Ember pair and on a redis-server 7.0 pair
// in the same scenario: min-replicas-to-write and min-replicas-max-lag refusing writes (plain,
// queued in MULTI, from scripts) with Redis's error; replica-announce-ip/-port as the primary
// shows them in INFO and ROLE; repl-diskless-sync-max-replicas starting one snapshot for the
// replicas that waited; and INFO replication's fields on a primary with an online replica.
// The settings that act on a silent peer or over time are in
// replication_settings_timeout_test.cc.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/replication_test_util.h"

namespace ember::test::repl {
namespace {

constexpr const char* kNoReplicas = "NOREPLICAS Not enough good replicas to write.";

// Every path min-replicas-to-write gates: a plain write, a write queued in MULTI (refused
// when queued), a read-only transaction, and scripts that write with and without flags.
const std::vector<Argv> kGatedCommands = {
    {"SET", "k", "v"},
    {"GET", "k"},
    {"INCR", "n"},
    {"MULTI"},
    {"SET", "k", "in-multi"},
    {"GET", "k"},
    {"EXEC"},
    {"MULTI"},
    {"GET", "k"},
    {"EXEC"},
    {"EVAL", "return redis.call('SET', KEYS[1], 'lua')", "1", "k"},
    {"EVAL", "return redis.pcall('SET', KEYS[1], 'pcall')", "1", "k"},
    {"EVAL", "#!lua\nreturn redis.call('SET', KEYS[1], 'flagged')", "1", "k"},
    {"EVAL", "#!lua flags=no-writes\nreturn redis.call('GET', KEYS[1])", "1", "k"},
    {"EVAL", "return redis.call('GET', KEYS[1])", "1", "k"},
    {"GET", "k"},
    {"DBSIZE"},
};

TEST(ReplicationSettingsTest, MinReplicasToWriteRefusesWritesAsRedisDoes) {
  const Argv gate = {"--min-replicas-to-write", "1", "--min-replicas-max-lag", "2"};
  ServerProcess ember_process = StartPrimary(Server::kEmber, gate);
  ServerProcess redis_process = StartPrimary(Server::kRedis, gate);
  RedisClient ember(ember_process.port());
  RedisClient redis(redis_process.port());

  EXPECT_EQ(ember.Command({"SET", "k", "v"}), Error(kNoReplicas));
  EXPECT_EQ(ember.Command({"GET", "k"}), Nil());
  ExpectSameReplies(ember, redis, kGatedCommands);
  EXPECT_EQ(InfoInt(ember, "replication", "min_slaves_good_slaves"), 0);
  EXPECT_EQ(InfoInt(redis, "replication", "min_slaves_good_slaves"), 0);
  EXPECT_EQ(InfoFieldNames(ember, "replication"), InfoFieldNames(redis, "replication"));

  ServerProcess ember_replica = StartReplica(Server::kEmber, ember_process.port());
  ServerProcess redis_replica = StartReplica(Server::kRedis, redis_process.port());
  ASSERT_TRUE(PollUntil([&] {
    return InfoInt(ember, "replication", "min_slaves_good_slaves") == 1 &&
           InfoInt(redis, "replication", "min_slaves_good_slaves") == 1;
  })) << ember.Command({"INFO", "replication"}).str;
  EXPECT_EQ(ember.Command({"SET", "k", "v"}), Status("OK"));
  ExpectSameReplies(ember, redis, kGatedCommands);
  EXPECT_EQ(ember.Command({"GET", "k"}), Bulk("flagged"));
  EXPECT_EQ(InfoFieldNames(ember, "replication"), InfoFieldNames(redis, "replication"));

  // A transaction queued while the replica was good, executed once it lags past
  // min-replicas-max-lag (frozen, it sends no REPLCONF ACK).
  RedisClient ember_tx(ember_process.port());
  RedisClient redis_tx(redis_process.port());
  ExpectSameReplies(ember_tx, redis_tx, {{"MULTI"}, {"SET", "tx", "1"}});
  FrozenProcess ember_frozen(ember_replica);
  FrozenProcess redis_frozen(redis_replica);
  ASSERT_TRUE(PollUntil([&] {
    return InfoInt(ember, "replication", "min_slaves_good_slaves") == 0 &&
           InfoInt(redis, "replication", "min_slaves_good_slaves") == 0;
  })) << ember.Command({"INFO", "replication"}).str;
  EXPECT_EQ(ember.Command({"SET", "k", "late"}), Error(kNoReplicas));
  ExpectSameReplies(ember, redis, {{"SET", "k", "late"}, {"GET", "k"}});
  const Reply exec = redis_tx.Command({"EXEC"});
  EXPECT_EQ(exec, Error(std::string("EXECABORT Transaction discarded because of: ") + kNoReplicas));
  EXPECT_EQ(ember_tx.Command({"EXEC"}), exec);
  ExpectSameReplies(ember_tx, redis_tx, {{"GET", "tx"}});
  EXPECT_EQ(InfoInt(ember, "replication", "connected_slaves"), 1);
}

TEST(ReplicationSettingsTest, PrimaryShowsTheAnnouncedReplicaAddress) {
  const Argv announce = {"--replica-announce-ip", "10.1.2.3", "--replica-announce-port", "4567"};
  // No PINGs in the stream, so that the offsets ROLE shows stay where they settled.
  const Argv quiet = {"--repl-ping-replica-period", "3600"};
  // An Ember replica of an Ember and of a redis-server primary, a redis-server replica of
  // another Ember primary.
  ServerProcess ember_primary = StartPrimary(Server::kEmber, quiet);
  ServerProcess redis_primary = StartPrimary(Server::kRedis, quiet);
  ServerProcess other_ember_primary = StartPrimary(Server::kEmber, quiet);
  ServerProcess ember_replica = StartReplica(Server::kEmber, ember_primary.port(), announce);
  ServerProcess ember_of_redis = StartReplica(Server::kEmber, redis_primary.port(), announce);
  ServerProcess redis_replica = StartReplica(Server::kRedis, other_ember_primary.port(), announce);

  for (auto [primary_port, replica_port] :
       {std::pair{ember_primary.port(), ember_replica.port()},
        std::pair{redis_primary.port(), ember_of_redis.port()},
        std::pair{other_ember_primary.port(), redis_replica.port()}}) {
    RedisClient primary(primary_port);
    RedisClient replica(replica_port);
    ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SET", "k", "v"}}));
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
    const long long offset = InfoInt(primary, "replication", "master_repl_offset");
    const std::string line =
        "ip=10.1.2.3,port=4567,state=online,offset=" + std::to_string(offset) + ",";
    const Reply role = Array({Bulk("master"), Int(offset),
                              Array({BulkArray({"10.1.2.3", "4567", std::to_string(offset)})})});
    // The offsets are the replica's acknowledged ones, a second behind at most.
    EXPECT_TRUE(PollUntil([&] {
      return InfoField(primary, "replication", "slave0").rfind(line, 0) == 0 &&
             primary.Command({"ROLE"}) == role;
    })) << primary.Command({"INFO", "replication"}).str
        << primary.Command({"ROLE"}).ToString();
  }
  RedisClient ember(ember_replica.port());
  RedisClient redis(redis_replica.port());
  ExpectSameReplies(ember, redis,
                    {{"CONFIG", "GET", "replica-announce-ip"},
                     {"CONFIG", "GET", "slave-announce-port"},
                     {"CONFIG", "SET", "replica-announce-port", "70000"}});
}

// Both replicas' sync is started by one snapshot once the second one waits, long before the
// 30 s delay.
TEST(ReplicationSettingsTest, DisklessSyncStartsWhenMaxReplicasWait) {
  const Argv args = {"--repl-diskless-sync-delay", "30", "--repl-diskless-sync-max-replicas", "2",
                     "--enable-debug-command",     "yes"};
  ServerProcess ember_process = StartServer(Server::kEmber, args);
  ServerProcess redis_process = StartServer(Server::kRedis, args);
  RedisClient ember(ember_process.port());
  RedisClient redis(redis_process.port());
  FillEveryType(ember, 0, 50);
  FillEveryType(redis, 0, 50);

  ServerProcess ember_first = StartReplica(Server::kEmber, ember_process.port());
  ServerProcess redis_first = StartReplica(Server::kRedis, redis_process.port());
  ASSERT_NO_FATAL_FAILURE(WaitForSnapshotInProgress(ember));
  ASSERT_NO_FATAL_FAILURE(WaitForSnapshotInProgress(redis));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  RedisClient ember_waiting(ember_first.port());
  RedisClient redis_waiting(redis_first.port());
  for (RedisClient* primary : {&ember, &redis}) {
    EXPECT_NE(InfoField(*primary, "replication", "slave0").find("state=wait_bgsave"),
              std::string::npos)
        << primary->Command({"INFO", "replication"}).str;
  }
  EXPECT_EQ(InfoField(ember_waiting, "replication", "master_link_status"), "down");
  for (const char* field :
       {"master_link_status", "master_sync_in_progress", "master_link_down_since_seconds"}) {
    EXPECT_EQ(InfoField(ember_waiting, "replication", field),
              InfoField(redis_waiting, "replication", field))
        << field;
  }
  EXPECT_EQ(InfoInt(ember, "stats", "sync_full"), InfoInt(redis, "stats", "sync_full"));

  ServerProcess ember_second = StartReplica(Server::kEmber, ember_process.port());
  ServerProcess redis_second = StartReplica(Server::kRedis, redis_process.port());
  RedisClient ember_late(ember_second.port());
  RedisClient redis_late(redis_second.port());
  for (auto [primary, replica] : {std::pair{&ember, &ember_waiting},
                                  {&ember, &ember_late},
                                  {&redis, &redis_waiting},
                                  {&redis, &redis_late}}) {
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(*primary, *replica));
  }
  EXPECT_EQ(InfoInt(ember, "stats", "sync_full"), 2);
  EXPECT_EQ(InfoInt(redis, "stats", "sync_full"), 2);
  const auto snapshots = [](const ServerProcess& process) {
    const std::string log = process.ReadLog();
    int count = 0;
    for (size_t at = log.find("Starting BGSAVE for SYNC"); at != std::string::npos;
         at = log.find("Starting BGSAVE for SYNC", at + 1)) {
      ++count;
    }
    return count;
  };
  EXPECT_EQ(snapshots(ember_process), 1) << ember_process.ReadLog();
  EXPECT_EQ(snapshots(redis_process), 1) << redis_process.ReadLog();
  ExpectSameData(ember, ember_waiting);
  ExpectSameData(ember, ember_late);
}

TEST(ReplicationSettingsTest, PrimaryInfoReplicationHasRedisFields) {
  ServerProcess ember_process = StartPrimary(Server::kEmber);
  ServerProcess redis_process = StartPrimary(Server::kRedis);
  ServerProcess ember_replica = StartReplica(Server::kEmber, ember_process.port());
  ServerProcess redis_replica = StartReplica(Server::kRedis, redis_process.port());
  RedisClient ember(ember_process.port());
  RedisClient redis(redis_process.port());
  for (auto [primary, port] :
       {std::pair{&ember, ember_replica.port()}, std::pair{&redis, redis_replica.port()}}) {
    RedisClient replica(port);
    ASSERT_NO_FATAL_FAILURE(SendAll(*primary, {{"SET", "k", "v"}}));
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(*primary, replica));
  }
  EXPECT_EQ(InfoFieldNames(ember, "replication"), InfoFieldNames(redis, "replication"));
  for (const char* field :
       {"role", "connected_slaves", "master_failover_state", "master_replid2", "second_repl_offset",
        "repl_backlog_active", "repl_backlog_size", "repl_backlog_first_byte_offset"}) {
    EXPECT_EQ(InfoField(ember, "replication", field), InfoField(redis, "replication", field))
        << field;
  }
  EXPECT_EQ(InfoField(ember, "replication", "slave0")
                .rfind("ip=127.0.0.1,port=" + std::to_string(ember_replica.port()) +
                           ",state=online,offset=",
                       0),
            0u)
      << ember.Command({"INFO", "replication"}).str;
}

}  // namespace
}  // namespace ember::test::repl
