// How the list commands reach the append-only file (and so replicas): as sent when they
// changed a list, not at all when they changed nothing, and LMPOP as the LPOP/RPOP with a
// count it amounted to (Redis 7.0's rule). Replaying the log rebuilds the same lists.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"

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

}  // namespace
}  // namespace ember::test
