// How SORT reaches the append-only file (and so replicas): SORT ... STORE as sent when it
// stored a list or deleted its destination, plain SORT, SORT_RO and a STORE that changed
// nothing not at all. A STORE onto a key a client waits on in BLPOP serves that client after
// the command, and the served pop is logged after the SORT, as Redis orders them. Replaying
// the log rebuilds the stored lists.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"
#include "tests/support/resp3_client.h"

namespace ember::test {
namespace {

using Argv = std::vector<std::string>;

TEST(SortPropagationTest, OnlyAStoreThatChangedTheKeyspaceIsLogged) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  RedisClient client(server.port());
  // clang-format off
  const std::vector<Argv> sent = {
      {"RPUSH", "src", "3", "1", "2"}, {"SORT", "src"}, {"SORT_RO", "src", "DESC"},
      {"SORT", "src", "STORE", "dst"}, {"SORT", "missing", "STORE", "none"},
      {"SORT", "src", "LIMIT", "5", "1", "STORE", "dst"}, {"SORT", "src", "STORE", "x", "foo"},
      {"SORT", "src", "DESC", "GET", "#", "STORE", "dst2"}};
  // clang-format on
  const int64_t before = aof::InfoInt(client, "rdb_changes_since_last_save");
  for (const Argv& command : sent) client.Command(command);
  const int64_t dirty = aof::InfoInt(client, "rdb_changes_since_last_save") - before;
  aof::StopServer(server, aof::StopKind::kSigkill);

  // clang-format off
  const std::vector<Argv> expected = {
      {"RPUSH", "src", "3", "1", "2"}, {"SORT", "src", "STORE", "dst"},
      {"SORT", "src", "LIMIT", "5", "1", "STORE", "dst"},
      {"SORT", "src", "DESC", "GET", "#", "STORE", "dst2"}};
  // clang-format on
  EXPECT_EQ(aof::LoggedInDb0(dir.path()), expected);
  // RPUSH 3, one per stored element (3 + 3), one for the deletion.
  EXPECT_EQ(dirty, 10);

  server = aof::StartAof(dir.path());
  RedisClient replayed(server.port());
  EXPECT_EQ(replayed.Command({"EXISTS", "dst"}), Int(0));
  EXPECT_EQ(replayed.Command({"LRANGE", "dst2", "0", "-1"}), BulkArray({"3", "2", "1"}));
}

TEST(SortPropagationTest, AStoreWakesAClientBlockedOnTheDestination) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  RedisClient client(server.port());
  Resp3Client waiter(server.port());
  aof::Must(client, {"RPUSH", "src", "b", "c", "a"});
  ASSERT_TRUE(waiter.Send({"BLPOP", "dst", "0"}));
  EXPECT_FALSE(waiter.ReceiveRaw(std::chrono::milliseconds(100))) << "served early";
  EXPECT_EQ(client.Command({"SORT", "src", "ALPHA", "STORE", "dst"}), Int(3));
  const std::optional<std::string> reply = waiter.ReceiveRaw(std::chrono::seconds(5));
  ASSERT_TRUE(reply.has_value()) << "BLPOP not served";
  EXPECT_NE(reply->find("a"), std::string::npos) << *reply;
  EXPECT_EQ(client.Command({"LRANGE", "dst", "0", "-1"}), BulkArray({"b", "c"}));
  aof::StopServer(server, aof::StopKind::kSigkill);

  // clang-format off
  const std::vector<Argv> expected = {
      {"RPUSH", "src", "b", "c", "a"}, {"SORT", "src", "ALPHA", "STORE", "dst"},
      {"LPOP", "dst"}};
  // clang-format on
  EXPECT_EQ(aof::LoggedInDb0(dir.path()), expected);
}

}  // namespace
}  // namespace ember::test
