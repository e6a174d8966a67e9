// Ember replicas through restarts and changes of primary: a replica restarted from its own
// dump (which names the primary's history and the stream's database) continues by partial
// resynchronization; a failover done by hand as Sentinel does it (the primary gone, one
// replica promoted with REPLICAOF NO ONE, its sibling pointed at it) continues by partial
// resynchronization from the promoted replica's inherited history; REPLICAOF at runtime
// replaces the local data, moves sub-replicas along, and NO ONE keeps the data; a replica
// whose own link is down refuses to feed a sub-replica, as redis-server does.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/replication_test_util.h"
#include "tests/support/temp_dir.h"

namespace ember::test::repl {
namespace {

void RestartedReplicaContinuesFromItsDump(Server primary_server) {
  TempDir dir;
  const Argv replica_args = {"--dir", dir.path(), "--save", "3600 1"};
  ServerProcess primary_process = StartPrimary(primary_server);
  RedisClient primary(primary_process.port());
  FillEveryType(primary, 0, 60);
  FillEveryType(primary, 3, 60);
  ServerProcess ember = StartReplica(Server::kEmber, primary_process.port(), replica_args);
  {
    RedisClient replica(ember.port());
    // The stream's last SELECT is database 3: what follows the restart lands there too.
    ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SELECT", "3"}, {"SET", "before", "1"}}));
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  }
  EXPECT_EQ(ember.Stop(), 0);  // SIGTERM saves: a save point is set
  ASSERT_TRUE(std::filesystem::exists(dir.file("dump.rdb")));

  ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SET", "while-down", "db3"},
                                            {"HSET", "h:small", "down", "yes"},
                                            {"SELECT", "0"},
                                            {"SET", "while-down", "db0"},
                                            {"XADD", "x", "*", "down", "1"},
                                            {"DEL", "s:1"}}));
  ember = StartReplica(Server::kEmber, primary_process.port(), replica_args);
  RedisClient replica(ember.port());
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_partial_ok"), 1);
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
  EXPECT_EQ(GetIn(replica, 0, "while-down"), Bulk("db0"));
  EXPECT_EQ(GetIn(replica, 3, "while-down"), Bulk("db3"));
  EXPECT_EQ(GetIn(replica, 3, "before"), Bulk("1"));
  ExpectSameData(primary, replica);
}

TEST(ReplicationFailoverTest, ReplicaRestartedFromItsDumpContinuesRedisPrimary) {
  RestartedReplicaContinuesFromItsDump(Server::kRedis);
}

TEST(ReplicationFailoverTest, ReplicaRestartedFromItsDumpContinuesEmberPrimary) {
  RestartedReplicaContinuesFromItsDump(Server::kEmber);
}

// The primary and the replica promoted are `servers`; the sibling that follows is Ember.
void SiblingFollowsThePromotedReplica(Server servers) {
  ServerProcess primary_process = StartPrimary(servers);
  RedisClient primary(primary_process.port());
  FillEveryType(primary, 0, 60);
  FillEveryType(primary, 5, 60);
  ServerProcess first =
      StartReplica(servers, primary_process.port(), {"--repl-diskless-sync-delay", "0"});
  ServerProcess second = StartReplica(Server::kEmber, primary_process.port());
  RedisClient promoted(first.port());
  RedisClient sibling(second.port());
  ASSERT_NO_FATAL_FAILURE(SendAll(primary, {{"SELECT", "5"}, {"SET", "last", "1"}}));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, promoted));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, sibling));
  const std::string old_id = InfoField(primary, "replication", "master_replid");
  const long long old_offset = InfoInt(primary, "replication", "master_repl_offset");

  primary.Command({"SHUTDOWN", "NOSAVE"});
  EXPECT_TRUE(primary_process.WaitForExit(std::chrono::seconds(10)).has_value());
  EXPECT_EQ(promoted.Command({"REPLICAOF", "NO", "ONE"}), Status("OK"));
  EXPECT_EQ(InfoField(promoted, "replication", "role"), "master");
  EXPECT_EQ(InfoField(promoted, "replication", "master_replid2"), old_id);
  EXPECT_NE(InfoField(promoted, "replication", "master_replid"), old_id);
  // The old history is valid up to where the promoted replica got (a primary that shuts
  // down may still have sent a last REPLCONF GETACK).
  const long long promoted_offset = InfoInt(promoted, "replication", "master_repl_offset");
  EXPECT_GE(promoted_offset, old_offset);
  EXPECT_EQ(InfoInt(promoted, "replication", "second_repl_offset"), promoted_offset + 1);
  EXPECT_EQ(sibling.Command({"REPLICAOF", "127.0.0.1", std::to_string(first.port())}),
            Status("OK"));
  ASSERT_NO_FATAL_FAILURE(WaitForPartialResync(promoted, sibling));
  EXPECT_EQ(InfoInt(promoted, "stats", "sync_partial_ok"), 1);
  EXPECT_EQ(InfoInt(promoted, "stats", "sync_full"), 0);
  // The sibling took the new history and kept the old one as its second.
  EXPECT_EQ(InfoField(sibling, "replication", "master_replid"),
            InfoField(promoted, "replication", "master_replid"));
  EXPECT_EQ(InfoField(sibling, "replication", "master_replid2"), old_id);

  ASSERT_NO_FATAL_FAILURE(
      SendAll(promoted, {{"SET", "after-failover", "1"}, {"SELECT", "5"}, {"INCR", "last"}}));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(promoted, sibling));
  EXPECT_EQ(sibling.Command({"GET", "after-failover"}), Bulk("1"));
  ExpectSameData(promoted, sibling);
  // ROLE lists the sibling with the offset it acknowledged, once it caught up.
  Reply role;
  ASSERT_TRUE(PollUntil([&] {
    role = promoted.Command({"ROLE"});
    return role.elements.size() == 3 && role.elements[2].elements.size() == 1 &&
           role.elements[2].elements[0].elements.size() == 3 &&
           role.elements[2].elements[0].elements[2].str == std::to_string(role.elements[1].integer);
  })) << role.ToString();
  const std::string offset = std::to_string(role.elements[1].integer);
  EXPECT_EQ(role,
            Array({Bulk("master"), Int(role.elements[1].integer),
                   Array({BulkArray({"127.0.0.1", std::to_string(second.port()), offset})})}));
}

TEST(ReplicationFailoverTest, EmberSiblingFollowsAPromotedEmberReplica) {
  SiblingFollowsThePromotedReplica(Server::kEmber);
}

TEST(ReplicationFailoverTest, EmberSiblingFollowsAPromotedRedisReplica) {
  SiblingFollowsThePromotedReplica(Server::kRedis);
}

TEST(ReplicationFailoverTest, ReplicaofAtRuntimeSwitchesPrimariesAndNoOneKeepsTheData) {
  ServerProcess first_process = StartPrimary(Server::kEmber);
  ServerProcess second_process = StartPrimary(Server::kRedis);
  RedisClient first(first_process.port());
  RedisClient second(second_process.port());
  FillEveryType(first, 0, 40);
  FillEveryType(second, 2, 40);
  ASSERT_EQ(second.Command({"SET", "only-second", "1"}), Status("OK"));

  // A standalone server with data of its own and a client blocked on it, beside a
  // redis-server in the same state.
  ServerProcess ember = StartPrimary(Server::kEmber);
  ServerProcess redis = StartPrimary(Server::kRedis);
  RedisClient node(ember.port());
  RedisClient reference(redis.port());
  RawConnection ember_blocked(ember.port());
  RawConnection redis_blocked(redis.port());
  for (RedisClient* client : {&node, &reference}) {
    ASSERT_EQ(client->Command({"SET", "local", "1"}), Status("OK"));
  }
  const std::string blpop = RespRequest({"BLPOP", "nothing", "0"});
  ASSERT_TRUE(ember_blocked.Send(blpop) && redis_blocked.Send(blpop));
  ASSERT_TRUE(PollUntil([&] {
    return InfoInt(node, "clients", "blocked_clients") == 1 &&
           InfoInt(reference, "clients", "blocked_clients") == 1;
  }));
  const std::string port = std::to_string(first_process.port());
  EXPECT_EQ(node.Command({"SLAVEOF", "127.0.0.1", port}), Status("OK"));
  EXPECT_EQ(reference.Command({"SLAVEOF", "127.0.0.1", port}), Status("OK"));
  const std::string unblocked = redis_blocked.ReadSome(std::chrono::seconds(5));
  EXPECT_EQ(unblocked.rfind("-UNBLOCKED ", 0), 0u) << unblocked;
  EXPECT_EQ(ember_blocked.Read(unblocked.size()), unblocked);
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(first, node));
  EXPECT_EQ(node.Command({"EXISTS", "local"}), Int(0));
  ExpectSameData(first, node);
  EXPECT_EQ(node.Command({"REPLICAOF", "127.0.0.1", port}),
            reference.Command({"REPLICAOF", "127.0.0.1", port}));

  // A sub-replica moves along when its replica changes primary.
  ServerProcess sub_process = StartReplica(Server::kEmber, ember.port());
  RedisClient sub(sub_process.port());
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(first, sub));
  EXPECT_EQ(node.Command({"REPLICAOF", "127.0.0.1", std::to_string(second_process.port())}),
            Status("OK"));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(second, node));
  ExpectSameData(second, node);
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(second, sub));
  ExpectSameData(second, sub);

  // Promoted: the data stays, writes are accepted and reach the sub-replica.
  const std::string digest = Digest(second);
  EXPECT_EQ(node.Command({"REPLICAOF", "NO", "ONE"}), Status("OK"));
  EXPECT_EQ(node.Command({"ROLE"}).elements.at(0), Bulk("master"));
  EXPECT_EQ(Digest(node), digest);
  EXPECT_EQ(node.Command({"SET", "promoted", "1"}), Status("OK"));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(node, sub));
  EXPECT_EQ(sub.Command({"GET", "promoted"}), Bulk("1"));
  ExpectSameData(node, sub);
}

TEST(ReplicationFailoverTest, ReplicaWithoutItsPrimaryRefusesSubReplicasAsRedisDoes) {
  ServerProcess primary_process = StartPrimary(Server::kEmber);
  const Argv immediate = {"--repl-diskless-sync-delay", "0"};
  ServerProcess ember = StartReplica(Server::kEmber, primary_process.port(), immediate);
  ServerProcess redis = StartReplica(Server::kRedis, primary_process.port(), immediate);
  RedisClient ember_client(ember.port());
  RedisClient redis_client(redis.port());
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(ember_client));
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(redis_client));
  primary_process.Kill();
  ASSERT_NO_FATAL_FAILURE(WaitForLinkDown(ember_client));
  ASSERT_NO_FATAL_FAILURE(WaitForLinkDown(redis_client));

  ServerProcess of_ember = StartReplica(Server::kEmber, ember.port());
  ServerProcess of_redis = StartReplica(Server::kEmber, redis.port());
  const std::string refusal = "NOMASTERLINK";
  ASSERT_TRUE(PollUntil([&] {
    return of_redis.ReadLog().find(refusal) != std::string::npos &&
           (of_ember.ReadLog().find(refusal) != std::string::npos ||
            InfoInt(ember_client, "stats", "sync_full") > 0);
  })) << of_redis.ReadLog();
  EXPECT_EQ(InfoInt(redis_client, "stats", "sync_full"), 0);
  EXPECT_EQ(InfoInt(ember_client, "stats", "sync_full"), 0);
  EXPECT_NE(of_ember.ReadLog().find(refusal), std::string::npos) << of_ember.ReadLog();
  RedisClient sub(of_ember.port());
  EXPECT_EQ(InfoField(sub, "replication", "master_link_status"), "down");
}

}  // namespace
}  // namespace ember::test::repl
