// How the hash commands reach the append-only file (and so replicas): as sent when they
// changed the hash, not at all when they changed nothing, and HINCRBYFLOAT as HSET with
// its result (Redis 7.0's rule, so replaying never depends on float rounding). Replaying
// the log rebuilds the same hashes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using Argv = std::vector<std::string>;

TEST(HashPropagationTest, ChangesAreLoggedAsSentAndHincrbyfloatAsHset) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  RedisClient client(server.port());
  // clang-format off
  const std::vector<Argv> sent = {
      {"HSET", "h", "a", "1", "b", "2"}, {"HSETNX", "h", "a", "x"}, {"HSETNX", "h", "c", "3"},
      {"HDEL", "h", "nothing"}, {"HDEL", "h", "c", "nothing"}, {"HINCRBY", "h", "n", "5"},
      {"HINCRBY", "h", "a", "x"}, {"HSET", "h", "s", "abc"}, {"HINCRBY", "h", "s", "1"},
      {"HINCRBYFLOAT", "h", "f", "10.5"}, {"HINCRBYFLOAT", "h", "f", "0.1"},
      {"HINCRBYFLOAT", "h", "s", "1"}, {"HMSET", "h", "d", "4"}, {"HGET", "h", "a"},
      {"HDEL", "gone", "x"}, {"HSET", "gone", "x", "1"}, {"HDEL", "gone", "x"}};
  // clang-format on
  for (const Argv& command : sent) client.Command(command);
  aof::StopServer(server, aof::StopKind::kSigkill);

  // clang-format off
  const std::vector<Argv> expected = {
      {"HSET", "h", "a", "1", "b", "2"}, {"HSETNX", "h", "c", "3"}, {"HDEL", "h", "c", "nothing"},
      {"HINCRBY", "h", "n", "5"}, {"HSET", "h", "s", "abc"}, {"HSET", "h", "f", "10.5"},
      {"HSET", "h", "f", "10.6"}, {"HMSET", "h", "d", "4"}, {"HSET", "gone", "x", "1"},
      {"HDEL", "gone", "x"}};
  // clang-format on
  EXPECT_EQ(aof::LoggedInDb0(dir.path()), expected);
}

TEST(HashPropagationTest, ReplayingTheLogRebuildsTheHashes) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  {
    RedisClient client(server.port());
    aof::Must(client, {"CONFIG", "SET", "hash-max-listpack-entries", "2"});
    aof::Must(client, {"HSET", "small", "a", "1"});
    aof::Must(client, {"HSET", "table", "a", "1", "b", "2", "c", "3"});
    aof::Must(client, {"HINCRBYFLOAT", "table", "f", "0.25"});
    aof::Must(client, {"HDEL", "table", "b"});
  }
  aof::StopServer(server, aof::StopKind::kSigkill);

  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"HGETALL", "small"}), Array({Bulk("a"), Bulk("1")}));
  EXPECT_EQ(client.Command({"HLEN", "table"}), Int(3));
  EXPECT_EQ(client.Command({"HMGET", "table", "a", "b", "c", "f"}),
            Array({Bulk("1"), Nil(), Bulk("3"), Bulk("0.25")}));
}

}  // namespace
}  // namespace ember::test
