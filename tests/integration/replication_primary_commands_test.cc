// The primary's replication commands seen from clients, with the reference redis-server 7.0
// as the replica or as the model of replies: WAIT counts the replicas that acknowledged the
// client's writes (and answers at once inside MULTI, or with none after its timeout); ROLE
// and INFO replication describe the online replica and the shared replication ID and
// offset; REPLCONF, PSYNC and WAIT reject bad arguments with Redis's errors.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <string>
#include <vector>

#include "tests/integration/replication_test_util.h"

namespace ember::test::repl {
namespace {

// Sends each command to both servers on one connection each and expects the same reply;
// `error` says whether that reply must be an error.
void ExpectSameReplies(int ember_port, int redis_port, const std::vector<Argv>& commands,
                       bool error) {
  RedisClient ember(ember_port);
  RedisClient redis(redis_port);
  for (const Argv& command : commands) {
    const Reply expected = redis.Command(command);
    EXPECT_EQ(expected.type == Reply::Type::kError, error) << expected.ToString();
    std::string shown;
    for (const std::string& arg : command) shown += " " + arg.substr(0, 20);
    EXPECT_EQ(ember.Command(command), expected) << shown;
  }
}

TEST(ReplicationCommandsTest, WaitCountsReplicasThatAcknowledgedTheWrites) {
  ServerProcess ember = StartPrimary(Server::kEmber);
  ServerProcess redis = StartReplica(Server::kRedis, ember.port());
  RedisClient replica(redis.port());
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));

  RedisClient writer(ember.port());
  EXPECT_EQ(writer.Command({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(writer.Command({"WAIT", "1", "2000"}), Int(1));
  // Acknowledged means applied: the replica serves the write now.
  EXPECT_EQ(replica.Command({"GET", "k"}), Bulk("v"));
  // Two replicas never come: the timeout ends the wait with the one that did.
  EXPECT_EQ(writer.Command({"WAIT", "2", "100"}), Int(1));

  // Inside MULTI, WAIT cannot block: with no timeout it still answers, at once. A
  // connection that wrote nothing counts every online replica.
  RedisClient fresh(ember.port());
  fresh.SetTimeout(std::chrono::seconds(5));
  EXPECT_EQ(fresh.Command({"MULTI"}), Status("OK"));
  EXPECT_EQ(fresh.Command({"WAIT", "5", "0"}), Status("QUEUED"));
  EXPECT_EQ(fresh.Command({"EXEC"}), Array({Int(1)}));
}

TEST(ReplicationCommandsTest, WaitWithoutReplicasAnswersZero) {
  ServerProcess ember = StartPrimary(Server::kEmber);
  RedisClient client(ember.port());
  EXPECT_EQ(client.Command({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(client.Command({"WAIT", "1", "50"}), Int(0));
  EXPECT_EQ(client.Command({"WAIT", "0", "0"}), Int(0));
}

TEST(ReplicationCommandsTest, WaitArgumentErrorsMatchRedis) {
  ServerProcess ember = StartPrimary(Server::kEmber);
  ServerProcess redis = ServerProcess::StartReference();
  ExpectSameReplies(ember.port(), redis.port(),
                    {{"WAIT", "x", "0"}, {"WAIT", "1", "-1"}, {"WAIT", "1", "x"}, {"WAIT", "1"}},
                    true);
}

TEST(ReplicationCommandsTest, RoleAndInfoReplicationDescribeTheOnlineReplica) {
  // No PING in the stream during the test, so that offsets settle for good.
  ServerProcess ember = StartPrimary(Server::kEmber, {"--repl-ping-replica-period", "3600"});
  ServerProcess redis = StartReplica(Server::kRedis, ember.port());
  RedisClient replica(redis.port());
  ASSERT_NO_FATAL_FAILURE(WaitForLinkUp(replica));
  RedisClient client(ember.port());
  EXPECT_EQ(client.Command({"SET", "k", "v"}), Status("OK"));
  const long long written = InfoInt(client, "replication", "master_repl_offset");
  EXPECT_GT(written, 0);
  EXPECT_EQ(client.Command({"WAIT", "1", "2000"}), Int(1));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(client, replica));

  const Reply role = client.Command({"ROLE"});
  ASSERT_EQ(role.type, Reply::Type::kArray) << role.ToString();
  ASSERT_EQ(role.elements.size(), 3u) << role.ToString();
  EXPECT_EQ(role.elements[0], Bulk("master"));
  EXPECT_EQ(role.elements[1], Int(InfoInt(client, "replication", "master_repl_offset")));
  ASSERT_EQ(role.elements[2].elements.size(), 1u) << role.ToString();
  const Reply& entry = role.elements[2].elements[0];
  ASSERT_EQ(entry.elements.size(), 3u) << role.ToString();
  EXPECT_EQ(entry.elements[0], Bulk("127.0.0.1"));
  EXPECT_EQ(entry.elements[1], Bulk(std::to_string(redis.port())));
  ASSERT_EQ(entry.elements[2].type, Reply::Type::kString) << role.ToString();
  const long long acked = std::stoll(entry.elements[2].str);
  EXPECT_GE(acked, written);
  EXPECT_LE(acked, role.elements[1].integer);

  EXPECT_EQ(InfoField(client, "replication", "role"), "master");
  EXPECT_EQ(InfoField(client, "replication", "connected_slaves"), "1");
  const std::string slave = InfoField(client, "replication", "slave0");
  const std::string prefix =
      "ip=127.0.0.1,port=" + std::to_string(redis.port()) + ",state=online,offset=";
  EXPECT_EQ(slave.substr(0, prefix.size()), prefix) << slave;
  const std::string replid = InfoField(client, "replication", "master_replid");
  ASSERT_EQ(replid.size(), 40u) << replid;
  for (char c : replid) EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(c))) << replid;
  EXPECT_EQ(InfoField(replica, "replication", "master_replid"), replid);
  EXPECT_EQ(InfoField(client, "replication", "repl_backlog_active"), "1");
  EXPECT_EQ(InfoInt(replica, "replication", "master_repl_offset"),
            InfoInt(client, "replication", "master_repl_offset"));
}

TEST(ReplicationCommandsTest, ReplconfAndPsyncArgumentErrorsMatchRedis) {
  ServerProcess ember = StartPrimary(Server::kEmber);
  ServerProcess redis = ServerProcess::StartReference();
  // ROLE of a primary without replicas, then REPLCONF without options.
  ExpectSameReplies(ember.port(), redis.port(), {{"ROLE"}, {"REPLCONF"}}, false);
  ExpectSameReplies(ember.port(), redis.port(),
                    {{"REPLCONF", "listening-port", "abc"},
                     {"REPLCONF", "foo", "bar"},
                     {"REPLCONF", "a"},
                     {"REPLCONF", "rdb-only", "x"},
                     {"REPLCONF", "rdb-filter-only", "foo"}},
                    true);
  // On fresh connections: Redis's PSYNC checks what the connection's REPLCONFs asked for first.
  ExpectSameReplies(ember.port(), redis.port(),
                    {{"PSYNC", "?", "notanumber"}, {"PSYNC", "?"}, {"SYNC", "x"}}, true);
}

TEST(ReplicationCommandsTest, ReplconfOptionBoundsMatchRedis) {
  ServerProcess ember = StartPrimary(Server::kEmber);
  ServerProcess redis = ServerProcess::StartReference();
  // rdb-only takes 0 or 1, and Redis names that range.
  ExpectSameReplies(ember.port(), redis.port(), {{"REPLCONF", "rdb-only", "5"}}, true);
  // An announced address may be a host name: Redis takes up to 255 bytes (NET_HOST_STR_LEN).
  ExpectSameReplies(ember.port(), redis.port(),
                    {{"REPLCONF", "ip-address", std::string(50, 'h')},
                     {"REPLCONF", "ip-address", std::string(255, 'h')},
                     {"REPLCONF", "listening-port", "6380", "capa", "eof", "capa", "psync2"}},
                    false);
  ExpectSameReplies(ember.port(), redis.port(), {{"REPLCONF", "ip-address", std::string(256, 'h')}},
                    true);
}

}  // namespace
}  // namespace ember::test::repl
