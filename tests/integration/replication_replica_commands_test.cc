// Ember as a replica seen from its clients, beside Debian's redis-server 7.0 replicating the
// same primary in the same state: writes (scripts' included) refused with -READONLY, and
// local once replica-read-only is off, a writable replica's own keys expiring; -MASTERDOWN
// while the link is down with replica-serve-stale-data off; ROLE and INFO replication; keys
// that expire only by the primary's DEL, also when they arrive in the snapshot; clients
// blocked or subscribed on the replica served by the primary's stream; WAIT refused; and
// the link's authentication (masterauth, masteruser, from flags or a config file).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/replication_test_util.h"
#include "tests/support/temp_dir.h"

namespace ember::test::repl {
namespace {

// A primary with an Ember and a redis-server replica of it (Settle waits for both).
struct Trio {
  explicit Trio(Server primary_server, const Argv& primary_args = {}, const Argv& replica_args = {})
      : primary_process(StartPrimary(primary_server, primary_args)),
        ember_process(StartReplica(Server::kEmber, primary_process.port(), replica_args)),
        redis_process(StartReplica(Server::kRedis, primary_process.port(), replica_args)),
        primary(primary_process.port()),
        ember(ember_process.port()),
        redis(redis_process.port()) {}

  void Settle() {
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, ember));
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, redis));
  }

  ServerProcess primary_process;
  ServerProcess ember_process;
  ServerProcess redis_process;
  RedisClient primary;
  RedisClient ember;
  RedisClient redis;
};

// One function that may write, one flagged no-writes.
constexpr const char* kFunctions =
    "#!lua name=lib\n"
    "redis.register_function('write', function(keys) return redis.call('SET', keys[1], 'f') end)\n"
    "redis.register_function{function_name='read', flags={'no-writes'}, "
    "callback=function(keys) return redis.call('GET', keys[1]) end}";

constexpr const char* kReadOnly = "READONLY You can't write against a read only replica.";

TEST(ReplicationReplicaCommandsTest, ReadOnlyReplicaRefusesWritesAsRedisDoes) {
  Trio trio(Server::kRedis);
  ASSERT_NO_FATAL_FAILURE(SendAll(
      trio.primary, {{"SET", "k", "v"}, {"RPUSH", "l", "a"}, {"FUNCTION", "LOAD", kFunctions}}));
  ASSERT_NO_FATAL_FAILURE(trio.Settle());

  EXPECT_EQ(trio.ember.Command({"SET", "k", "local"}), Error(kReadOnly));
  ExpectSameReplies(trio.ember, trio.redis,
                    {{"SET", "k", "local"},
                     {"INCR", "n"},
                     {"DEL", "k"},
                     {"EXPIRE", "k", "10"},
                     {"BLPOP", "l", "1"},
                     {"MULTI"},
                     {"GET", "k"},
                     {"SET", "k", "in-multi"},
                     {"EXEC"},
                     {"EVAL", "return redis.call('SET', KEYS[1], 'lua')", "1", "k"},
                     {"EVAL", "return redis.pcall('SET', KEYS[1], 'lua')", "1", "k"},
                     {"EVAL", "return redis.call('GET', KEYS[1])", "1", "k"},
                     {"EVAL", "#!lua\nreturn redis.call('SET', KEYS[1], 'lua')", "1", "k"},
                     {"EVAL", "#!lua flags=no-writes\nreturn redis.call('GET', KEYS[1])", "1", "k"},
                     {"EVAL_RO", "return redis.call('SET', KEYS[1], 'lua')", "1", "k"},
                     {"FCALL", "write", "1", "k"},
                     {"FCALL_RO", "read", "1", "k"},
                     {"GET", "k"},
                     {"LRANGE", "l", "0", "-1"}});
  EXPECT_EQ(trio.ember.Command({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(InfoField(trio.ember, "replication", "slave_read_only"), "1");

  // Writable: the writes are local, and the primary's later writes still arrive.
  ExpectSameReplies(trio.ember, trio.redis,
                    {{"CONFIG", "SET", "replica-read-only", "no"},
                     {"CONFIG", "GET", "replica-read-only"},
                     {"SET", "k", "local"},
                     {"INCR", "n"},
                     {"GET", "k"}});
  EXPECT_EQ(trio.ember.Command({"GET", "k"}), Bulk("local"));
  EXPECT_EQ(InfoField(trio.ember, "replication", "slave_read_only"), "0");
  EXPECT_EQ(trio.primary.Command({"SET", "k", "from-primary"}), Status("OK"));
  ASSERT_NO_FATAL_FAILURE(trio.Settle());
  ExpectSameReplies(trio.ember, trio.redis, {{"GET", "k"}, {"GET", "n"}, {"DBSIZE"}});
  EXPECT_EQ(trio.ember.Command({"GET", "k"}), Bulk("from-primary"));
}

// A writable replica's own keys with a TTL are its to expire (Redis 7.0's
// expireSlaveKeys): once expired they are deleted, not only hidden.
TEST(ReplicationReplicaCommandsTest, WritableReplicaDeletesItsOwnExpiredKeys) {
  Trio trio(Server::kRedis, {}, {"--replica-read-only", "no"});
  ASSERT_NO_FATAL_FAILURE(trio.Settle());
  for (RedisClient* replica : {&trio.ember, &trio.redis}) {
    ASSERT_NO_FATAL_FAILURE(
        SendAll(*replica, {{"SET", "local", "v"}, {"SET", "local-ttl", "v", "PX", "100"}}));
  }
  ASSERT_TRUE(PollUntil([&] { return trio.redis.Command({"DBSIZE"}) == Int(1); }));
  EXPECT_TRUE(PollUntil([&] { return trio.ember.Command({"DBSIZE"}) == Int(1); }))
      << trio.ember.Command({"INFO", "keyspace"}).str;
  ExpectSameReplies(trio.ember, trio.redis,
                    {{"DBSIZE"}, {"GET", "local-ttl"}, {"EXISTS", "local-ttl"}, {"GET", "local"}});
}

TEST(ReplicationReplicaCommandsTest, StaleReplicaAnswersMasterdownAsRedisDoes) {
  Trio trio(Server::kRedis, {}, {"--replica-serve-stale-data", "no"});
  EXPECT_EQ(trio.primary.Command({"SET", "k", "v"}), Status("OK"));
  ASSERT_NO_FATAL_FAILURE(trio.Settle());
  ExpectSameReplies(trio.ember, trio.redis, {{"GET", "k"}, {"PING"}});
  EXPECT_EQ(trio.ember.Command({"GET", "k"}), Bulk("v"));

  trio.primary_process.Kill();
  ASSERT_NO_FATAL_FAILURE(WaitForLinkDown(trio.ember));
  ASSERT_NO_FATAL_FAILURE(WaitForLinkDown(trio.redis));
  EXPECT_EQ(trio.ember.Command({"GET", "k"}),
            Error("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to "
                  "'no'."));
  // Commands flagged stale (INFO, CONFIG, REPLICAOF...) still run; PING, like GET, does not.
  ExpectSameReplies(trio.ember, trio.redis,
                    {{"GET", "k"},
                     {"DBSIZE"},
                     {"PING"},
                     {"ECHO", "e"},
                     {"EXISTS", "k"},
                     {"SET", "k", "w"},
                     {"CONFIG", "GET", "replica-serve-stale-data"}});
  EXPECT_EQ(InfoField(trio.ember, "replication", "role"), "slave");
  EXPECT_EQ(InfoField(trio.ember, "replication", "master_link_status"), "down");
  EXPECT_EQ(InfoFieldNames(trio.ember, "replication"), InfoFieldNames(trio.redis, "replication"));

  // Serving stale data again: the last data the primary sent.
  ExpectSameReplies(trio.ember, trio.redis,
                    {{"CONFIG", "SET", "replica-serve-stale-data", "yes"}, {"GET", "k"}, {"PING"}});
  EXPECT_EQ(trio.ember.Command({"GET", "k"}), Bulk("v"));
}

TEST(ReplicationReplicaCommandsTest, RoleAndInfoReplicationHaveRedisShape) {
  // No PINGs in the stream during the test, so the offsets stay where they settled.
  Trio trio(Server::kRedis, {"--repl-ping-replica-period", "3600"});
  ASSERT_NO_FATAL_FAILURE(SendAll(trio.primary, {{"SET", "k", "v"}, {"INCR", "n"}}));
  ASSERT_NO_FATAL_FAILURE(trio.Settle());
  const long long offset = InfoInt(trio.primary, "replication", "master_repl_offset");
  ASSERT_GT(offset, 0);

  const Reply role = trio.ember.Command({"ROLE"});
  EXPECT_EQ(role, Array({Bulk("slave"), Bulk("127.0.0.1"), Int(trio.primary_process.port()),
                         Bulk("connected"), Int(offset)}));
  EXPECT_EQ(role, trio.redis.Command({"ROLE"}));
  EXPECT_EQ(InfoFieldNames(trio.ember, "replication"), InfoFieldNames(trio.redis, "replication"));
  for (const char* field :
       {"role", "master_host", "master_port", "master_link_status", "master_sync_in_progress",
        "slave_read_repl_offset", "slave_repl_offset", "master_replid", "master_repl_offset"}) {
    EXPECT_EQ(InfoField(trio.ember, "replication", field),
              InfoField(trio.redis, "replication", field))
        << field;
  }
  EXPECT_EQ(InfoInt(trio.ember, "replication", "slave_repl_offset"), offset);
}

// A key that expired on the primary stays on its replicas, hidden from reads but counted,
// until the primary deletes it; a replica that synchronizes then receives it in the
// snapshot and keeps it too.
void ExpiredKeysWaitForThePrimarysDel(Server primary_server) {
  Trio trio(primary_server);
  ASSERT_NO_FATAL_FAILURE(trio.Settle());  // the keys below come by the stream
  EXPECT_EQ(trio.primary.Command({"DEBUG", "SET-ACTIVE-EXPIRE", "0"}), Status("OK"));
  ASSERT_NO_FATAL_FAILURE(SendAll(trio.primary, {{"SET", "keep", "v"},
                                                 {"SET", "short", "v", "PX", "100"},
                                                 {"HSET", "hshort", "f", "v"},
                                                 {"PEXPIRE", "hshort", "100"}}));
  ASSERT_NO_FATAL_FAILURE(trio.Settle());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  const std::vector<Argv> reads = {{"GET", "short"},
                                   {"EXISTS", "short", "keep"},
                                   {"TTL", "short"},
                                   {"PTTL", "short"},
                                   {"TYPE", "short"},
                                   {"HGETALL", "hshort"},
                                   {"HLEN", "hshort"},
                                   {"MGET", "short", "keep"},
                                   {"KEYS", "*"},
                                   {"DBSIZE"},
                                   {"OBJECT", "ENCODING", "short"}};
  ExpectSameReplies(trio.ember, trio.redis, reads);
  EXPECT_EQ(trio.ember.Command({"GET", "short"}), Nil());
  EXPECT_EQ(trio.ember.Command({"EXISTS", "short"}), Int(0));
  EXPECT_EQ(trio.ember.Command({"DBSIZE"}), Int(3));
  // Reads deleted nothing.
  ExpectSameReplies(trio.ember, trio.redis, {{"DBSIZE"}});

  // Replicas that synchronize now load the expired keys from the snapshot and keep them.
  ServerProcess late_ember = StartReplica(Server::kEmber, trio.primary_process.port());
  ServerProcess late_redis = StartReplica(Server::kRedis, trio.primary_process.port());
  RedisClient ember_late(late_ember.port());
  RedisClient redis_late(late_redis.port());
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(trio.primary, ember_late));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(trio.primary, redis_late));
  ExpectSameReplies(ember_late, redis_late, reads);
  EXPECT_EQ(ember_late.Command({"DBSIZE"}), Int(3));

  // The primary's reads delete them, and their DELs reach every replica.
  EXPECT_EQ(trio.primary.Command({"GET", "short"}), Nil());
  EXPECT_EQ(trio.primary.Command({"HLEN", "hshort"}), Int(0));
  ASSERT_NO_FATAL_FAILURE(trio.Settle());
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(trio.primary, ember_late));
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(trio.primary, redis_late));
  ExpectSameReplies(trio.ember, trio.redis, reads);
  ExpectSameReplies(ember_late, redis_late, reads);
  EXPECT_EQ(trio.ember.Command({"DBSIZE"}), Int(1));
  EXPECT_EQ(ember_late.Command({"DBSIZE"}), Int(1));
}

TEST(ReplicationReplicaCommandsTest, ExpiredKeysWaitForRedisPrimarysDel) {
  ExpiredKeysWaitForThePrimarysDel(Server::kRedis);
}

TEST(ReplicationReplicaCommandsTest, ExpiredKeysWaitForEmberPrimarysDel) {
  ExpiredKeysWaitForThePrimarysDel(Server::kEmber);
}

TEST(ReplicationReplicaCommandsTest, ReplicaClientsAreServedByThePrimarysStream) {
  Trio trio(Server::kRedis);
  ASSERT_NO_FATAL_FAILURE(trio.Settle());
  // Blocked and subscribed clients on each replica.
  RawConnection ember_reader(trio.ember_process.port());
  RawConnection redis_reader(trio.redis_process.port());
  RawConnection ember_subscriber(trio.ember_process.port());
  RawConnection redis_subscriber(trio.redis_process.port());
  const std::string xread = RespRequest({"XREAD", "BLOCK", "0", "STREAMS", "xs", "$"});
  const std::string subscribe = RespRequest({"SUBSCRIBE", "ch"});
  ASSERT_TRUE(ember_reader.Send(xread) && redis_reader.Send(xread));
  ASSERT_TRUE(ember_subscriber.Send(subscribe) && redis_subscriber.Send(subscribe));
  const std::string subscribed = "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n";
  EXPECT_EQ(ember_subscriber.Read(subscribed.size()), subscribed);
  EXPECT_EQ(redis_subscriber.Read(subscribed.size()), subscribed);
  ASSERT_TRUE(PollUntil([&] {
    return InfoInt(trio.ember, "clients", "blocked_clients") == 1 &&
           InfoInt(trio.redis, "clients", "blocked_clients") == 1;
  }));

  EXPECT_EQ(trio.primary.Command({"XADD", "xs", "5-1", "f", "v"}), Bulk("5-1"));
  EXPECT_EQ(trio.primary.Command({"PUBLISH", "ch", "hello"}), Int(0));
  const std::string entry =
      "*1\r\n*2\r\n$2\r\nxs\r\n*1\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n";
  EXPECT_EQ(redis_reader.Read(entry.size()), entry);
  EXPECT_EQ(ember_reader.Read(entry.size()), entry);
  const std::string message = "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n";
  EXPECT_EQ(redis_subscriber.Read(message.size()), message);
  EXPECT_EQ(ember_subscriber.Read(message.size()), message);

  // WAIT counts a primary's replicas: a replica refuses it.
  const Reply wait = trio.redis.Command({"WAIT", "0", "0"});
  ASSERT_EQ(wait.type, Reply::Type::kError);
  EXPECT_EQ(trio.ember.Command({"WAIT", "0", "0"}), wait);
}

TEST(ReplicationReplicaCommandsTest, MasterauthAndMasteruserOpenTheLink) {
  ServerProcess redis = StartPrimary(Server::kRedis, {"--requirepass", "secret"});
  RedisClient primary(redis.port());
  ASSERT_EQ(primary.Command({"AUTH", "secret"}), Status("OK"));
  ASSERT_EQ(primary.Command({"ACL", "SETUSER", "repl", "on", ">pw", "~*", "&*", "+@all"}),
            Status("OK"));
  ASSERT_EQ(primary.Command({"SET", "k", "v"}), Status("OK"));

  ServerProcess with_password =
      StartReplica(Server::kEmber, redis.port(), {"--masterauth", "secret"});
  ServerProcess with_user =
      StartReplica(Server::kEmber, redis.port(), {"--masteruser", "repl", "--masterauth", "pw"});
  ServerProcess without = StartReplica(Server::kEmber, redis.port());
  ServerProcess wrong = StartReplica(Server::kEmber, redis.port(), {"--masterauth", "nope"});
  for (ServerProcess* process : {&with_password, &with_user}) {
    RedisClient replica(process->port());
    ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
    EXPECT_EQ(replica.Command({"GET", "k"}), Bulk("v"));
  }
  EXPECT_EQ(InfoInt(primary, "replication", "connected_slaves"), 2);
  ASSERT_TRUE(PollUntil([&] {
    return without.ReadLog().find("NOAUTH") != std::string::npos &&
           wrong.ReadLog().find("WRONGPASS") != std::string::npos;
  })) << without.ReadLog()
      << wrong.ReadLog();
  for (ServerProcess* process : {&without, &wrong}) {
    RedisClient replica(process->port());
    EXPECT_EQ(InfoField(replica, "replication", "master_link_status"), "down");
    EXPECT_EQ(replica.Command({"DBSIZE"}), Int(0));
  }
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 2);
}

TEST(ReplicationReplicaCommandsTest, ConfigFileNamesThePrimaryAndItsPassword) {
  ServerProcess ember = StartPrimary(Server::kEmber, {"--requirepass", "secret"});
  RedisClient primary(ember.port());
  ASSERT_EQ(primary.Command({"AUTH", "secret"}), Status("OK"));
  FillEveryType(primary, 0, 30);
  TempFile config("replicaof 127.0.0.1 " + std::to_string(ember.port()) +
                  "\nmasterauth secret\nenable-debug-command yes\n");
  ServerProcess follower = ServerProcess::StartEmber({config.path()});
  RedisClient replica(follower.port());
  ASSERT_NO_FATAL_FAILURE(WaitForSettled(primary, replica));
  ExpectSameData(primary, replica);
  EXPECT_EQ(replica.Command({"CONFIG", "GET", "replicaof"}),
            BulkArray({"replicaof", "127.0.0.1 " + std::to_string(ember.port())}));
  EXPECT_EQ(InfoInt(primary, "stats", "sync_full"), 1);
}

}  // namespace
}  // namespace ember::test::repl
