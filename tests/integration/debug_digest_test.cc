// DEBUG DIGEST against the reference redis-server 7.0: the same dataset (every type in
// every encoding, TTLs, several databases) digests to the same 40 hex digits in both
// servers, and keeps that digest across an RDB round trip in either direction (Redis's
// dump loaded by Ember, Ember's by Redis) and across DEBUG RELOAD. DEBUG itself is refused
// unless enable-debug-command allows it, with Redis's error.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace ember::test {
namespace {

using Argv = std::vector<std::string>;

const Argv kDebugOn = {"--enable-debug-command", "yes"};

Argv With(Argv args, const Argv& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// The same commands for both servers: small (packed) and large forms of each type.
std::vector<Argv> DatasetCommands() {
  std::vector<Argv> commands = {
      {"SET", "str", "value"},
      {"SET", "int", "12345"},
      {"SET", "big", std::string(300, 'x')},
      {"SET", "ttl", "v", "EX", "5000"},
      {"RPUSH", "list", "a", "b", "1", "2"},
      {"SADD", "intset", "1", "2", "-3"},
      {"SADD", "smallset", "a", "b", "7"},
      {"ZADD", "zset", "1", "a", "2.5", "b", "-inf", "c"},
      {"HSET", "hash", "f", "v", "1", "2"},
      {"HSET", "ttlhash", "f", "v"},
      {"PEXPIRE", "ttlhash", "9000000"},
      {"SELECT", "3"},
      {"SET", "str", "in db 3"},
      {"SELECT", "0"},
  };
  Argv biglist = {"RPUSH", "biglist"};
  Argv bigset = {"SADD", "bigset"};
  Argv bigzset = {"ZADD", "bigzset"};
  Argv bighash = {"HSET", "bighash"};
  for (int i = 0; i < 600; ++i) {
    const std::string n = std::to_string(i);
    biglist.push_back("element-" + n);
    bigset.push_back("member-" + n);
    bigzset.insert(bigzset.end(), {std::to_string(i * 0.5), "member-" + n});
    bighash.insert(bighash.end(), {"field-" + n, "value-" + n});
  }
  commands.insert(commands.end(), {biglist, bigset, bigzset, bighash});
  return commands;
}

std::string Digest(RedisClient& client) {
  const Reply reply = client.Command({"DEBUG", "DIGEST"});
  EXPECT_EQ(reply.type, Reply::Type::kStatus) << reply.ToString();
  return reply.str;
}

TEST(DebugDigestTest, SameDatasetSameDigestAcrossServersAndDumps) {
  TempDir ember_dir;
  TempDir redis_dir;
  ServerProcess ember = ServerProcess::StartEmber(With({"--dir", ember_dir.path()}, kDebugOn));
  ServerProcess redis = ServerProcess::StartReference(With({"--dir", redis_dir.path()}, kDebugOn));
  RedisClient ember_client(ember.port());
  RedisClient redis_client(redis.port());
  for (const Argv& command : DatasetCommands()) {
    ASSERT_EQ(ember_client.Command(command), redis_client.Command(command)) << command[0];
  }
  const std::string digest = Digest(redis_client);
  ASSERT_EQ(digest.size(), 40u);
  EXPECT_NE(digest, std::string(40, '0'));
  EXPECT_EQ(Digest(ember_client), digest);
  for (const char* key : {"list", "biglist", "bigset", "bigzset", "bighash", "ttlhash"}) {
    EXPECT_EQ(ember_client.Command({"DEBUG", "DIGEST-VALUE", key}),
              redis_client.Command({"DEBUG", "DIGEST-VALUE", key}))
        << key;
  }

  // DEBUG RELOAD saves and loads back: nothing changes.
  ASSERT_EQ(ember_client.Command({"DEBUG", "RELOAD"}), Status("OK"));
  EXPECT_EQ(Digest(ember_client), digest);

  ASSERT_EQ(ember_client.Command({"SAVE"}), Status("OK"));
  ASSERT_EQ(redis_client.Command({"SAVE"}), Status("OK"));
  ember.Stop();
  redis.Stop();

  // Each server loads the other's dump (started in the other's directory).
  ServerProcess ember_on_redis_dump =
      ServerProcess::StartEmber(With({"--dir", redis_dir.path()}, kDebugOn));
  RedisClient from_redis(ember_on_redis_dump.port());
  EXPECT_EQ(Digest(from_redis), digest);

  ServerProcess redis_on_ember_dump =
      ServerProcess::StartReference(With({"--dir", ember_dir.path()}, kDebugOn));
  RedisClient from_ember(redis_on_ember_dump.port());
  EXPECT_EQ(Digest(from_ember), digest);
}

// Redis 7.0 refuses DEBUG by default, right after the arity check (so even before AUTH),
// and "local" admits loopback clients.
TEST(DebugDigestTest, RefusedUnlessEnabled) {
  ServerProcess ember = ServerProcess::StartEmber({"--requirepass", "secret"});
  ServerProcess redis = ServerProcess::StartReference({"--requirepass", "secret"});
  RedisClient ember_client(ember.port());
  RedisClient redis_client(redis.port());
  const Reply refused = redis_client.Command({"DEBUG", "DIGEST"});
  ASSERT_EQ(refused.type, Reply::Type::kError);
  EXPECT_NE(refused.str.find("DEBUG command not allowed"), std::string::npos) << refused.str;
  EXPECT_EQ(ember_client.Command({"DEBUG", "DIGEST"}), refused);
  EXPECT_EQ(ember_client.Command({"DEBUG"}), redis_client.Command({"DEBUG"}));
  EXPECT_EQ(ember_client.Command({"CONFIG", "GET", "enable-debug-command"}).type,
            Reply::Type::kError);  // NOAUTH: CONFIG is not exempt

  ServerProcess local = ServerProcess::StartEmber({"--enable-debug-command", "local"});
  RedisClient local_client(local.port());
  const Reply digest = local_client.Command({"DEBUG", "DIGEST"});
  EXPECT_EQ(digest.type, Reply::Type::kStatus) << digest.ToString();
  EXPECT_EQ(local_client.Command({"CONFIG", "GET", "enable-debug-command"}).ToString(),
            R"(["enable-debug-command","local"])");
}

}  // namespace
}  // namespace ember::test
