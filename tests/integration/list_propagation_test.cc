// How the list commands reach the append-only file (and so replicas): as sent when they
// changed a list, not at all when they changed nothing, and LMPOP as the LPOP/RPOP with a
// count it amounted to (Redis 7.0's rule). Replaying the log rebuilds the same lists.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"
#include "tests/support/resp3_client.h"

namespace ember::test {
namespace {

using Argv = std::vector<std::string>;

TEST(ListPropagationTest, ChangesAreLoggedAsSentAndLmpopAsAPopWithACount) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  RedisClient client(server.port());
  // clang-format off
  const std::vector<Argv> sent = {
      {"RPUSH", "l", "a", "b", "c", "d"}, {"LPUSHX", "none", "x"}, {"LPOP", "l", "0"},
      {"LPOP", "none"}, {"LINSERT", "l", "BEFORE", "zz", "x"}, {"LINSERT", "l", "AFTER", "a", "x"},
      {"LREM", "l", "0", "nothing"}, {"LREM", "l", "1", "x"}, {"LTRIM", "l", "0", "-1"},
      {"LTRIM", "l", "0", "2"}, {"LSET", "l", "0", "A"}, {"LSET", "l", "9", "x"},
      {"LMPOP", "2", "none", "l", "RIGHT", "COUNT", "5"}, {"LMPOP", "1", "none", "LEFT"},
      {"RPUSH", "m", "1", "2"}, {"LMOVE", "m", "n", "LEFT", "RIGHT"}, {"RPOPLPUSH", "none", "n"},
      {"LRANGE", "n", "0", "-1"}};
  // clang-format on
  for (const Argv& command : sent) client.Command(command);
  aof::StopServer(server, aof::StopKind::kSigkill);

  // clang-format off
  const std::vector<Argv> expected = {
      {"RPUSH", "l", "a", "b", "c", "d"}, {"LINSERT", "l", "AFTER", "a", "x"},
      {"LREM", "l", "1", "x"}, {"LTRIM", "l", "0", "2"}, {"LSET", "l", "0", "A"},
      {"RPOP", "l", "3"}, {"RPUSH", "m", "1", "2"}, {"LMOVE", "m", "n", "LEFT", "RIGHT"}};
  // clang-format on
  EXPECT_EQ(aof::LoggedInDb0(dir.path()), expected);
}

TEST(ListPropagationTest, ReplayingTheLogRebuildsTheLists) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  {
    RedisClient client(server.port());
    aof::Must(client, {"CONFIG", "SET", "list-max-listpack-size", "2"});
    aof::Must(client, {"RPUSH", "q", "1", "2", "3", "4", "5"});
    aof::Must(client, {"LPUSH", "q", "0"});
    aof::Must(client, {"LMOVE", "q", "q", "RIGHT", "LEFT"});
    aof::Must(client, {"LMPOP", "1", "q", "RIGHT", "COUNT", "2"});
    aof::Must(client, {"LINSERT", "q", "AFTER", "1", "one-and-a-half"});
  }
  aof::StopServer(server, aof::StopKind::kSigkill);

  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"LRANGE", "q", "0", "-1"}),
            BulkArray({"5", "0", "1", "one-and-a-half", "2"}));
}

// A blocking pop reaches the log as the non-blocking command it amounted to — served at
// once or after waiting — never as the blocking command, so replaying never waits; the
// served pop follows the push that readied its key. As in Redis 7.0, BLMOVE served at once
// keeps its direction words as sent, and one served after waiting spells them LEFT/RIGHT.
TEST(ListPropagationTest, BlockingPopsAreLoggedAsThePopsTheyAmountedTo) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  RedisClient client(server.port());
  Resp3Client waiter(server.port());
  const auto served = [&](const Argv& blocking, const Argv& push) {
    ASSERT_TRUE(waiter.Send(blocking));
    EXPECT_FALSE(waiter.ReceiveRaw(std::chrono::milliseconds(100)))
        << blocking[0] << " served early";
    client.Command(push);
    EXPECT_TRUE(waiter.ReceiveRaw(std::chrono::seconds(5))) << blocking[0] << " not served";
  };
  client.Command({"RPUSH", "l", "a", "b", "c", "d", "e"});
  client.Command({"BLPOP", "none", "l", "0"});
  client.Command({"BRPOP", "l", "0"});
  client.Command({"BLMOVE", "l", "m", "left", "right", "0"});
  client.Command({"BRPOPLPUSH", "l", "m", "0"});
  client.Command({"BLMPOP", "0", "1", "m", "RIGHT", "COUNT", "9"});
  client.Command({"BLPOP", "none", "0.01"});
  served({"BLPOP", "q", "0"}, {"RPUSH", "q", "1", "2"});
  served({"BRPOP", "r", "t", "0"}, {"LPUSH", "r", "3"});
  served({"BLMOVE", "s", "u", "right", "left", "0"}, {"RPUSH", "s", "4"});
  served({"BRPOPLPUSH", "s", "u", "0"}, {"RPUSH", "s", "5"});
  served({"BLMPOP", "0", "2", "x", "y", "LEFT", "COUNT", "2"}, {"RPUSH", "x", "6"});
  client.Command({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  client.Command({"BZPOPMIN", "z", "0"});
  client.Command({"BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"});
  served({"BZPOPMAX", "zz", "0"}, {"ZADD", "zz", "1", "m"});
  served({"BZMPOP", "0", "1", "zz", "MIN", "COUNT", "3"}, {"ZADD", "zz", "2", "n"});
  aof::StopServer(server, aof::StopKind::kSigkill);

  // clang-format off
  const std::vector<Argv> expected = {
      {"RPUSH", "l", "a", "b", "c", "d", "e"}, {"LPOP", "l"}, {"RPOP", "l"},
      {"LMOVE", "l", "m", "left", "right"}, {"RPOPLPUSH", "l", "m"}, {"RPOP", "m", "2"},
      {"RPUSH", "q", "1", "2"}, {"LPOP", "q"}, {"LPUSH", "r", "3"}, {"RPOP", "r"},
      {"RPUSH", "s", "4"}, {"LMOVE", "s", "u", "RIGHT", "LEFT"}, {"RPUSH", "s", "5"},
      {"RPOPLPUSH", "s", "u"}, {"RPUSH", "x", "6"}, {"LPOP", "x", "1"},
      {"ZADD", "z", "1", "a", "2", "b", "3", "c"}, {"ZPOPMIN", "z"}, {"ZPOPMAX", "z", "2"},
      {"ZADD", "zz", "1", "m"}, {"ZPOPMAX", "zz"}, {"ZADD", "zz", "2", "n"},
      {"ZPOPMIN", "zz", "1"}};
  // clang-format on
  EXPECT_EQ(aof::LoggedInDb0(dir.path()), expected);
}

// Under appendfsync always, a waiter served by another client's push gets its element only
// once the pop is in the log: killed right after the reply arrived, the server restarts
// without that element.
TEST(ListPropagationTest, AServedPopIsDurableBeforeItsReplyUnderAlways) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  RedisClient pusher(server.port());
  Resp3Client waiter(server.port());
  ASSERT_TRUE(waiter.Send({"BLPOP", "q", "0"}));
  EXPECT_FALSE(waiter.ReceiveRaw(std::chrono::milliseconds(100)));
  pusher.Command({"RPUSH", "q", "served", "kept"});
  const std::optional<std::string> reply = waiter.ReceiveRaw(std::chrono::seconds(5));
  ASSERT_TRUE(reply.has_value());
  aof::StopServer(server, aof::StopKind::kSigkill);
  EXPECT_NE(reply->find("served"), std::string::npos);

  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"LRANGE", "q", "0", "-1"}), BulkArray({"kept"}));
}

}  // namespace
}  // namespace ember::test
