// How the bitmap commands reach the append-only file (and so replicas): as sent when they
// changed a key, not at all when they changed nothing (a SETBIT leaving its bit as it was,
// a BITFIELD of only GETs or whose fields all kept their values, a BITOP with nothing to
// store or delete). Replaying the log rebuilds the same strings; the dirty counter grows
// by one per change (one per changed field for BITFIELD), as Redis's does.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using Argv = std::vector<std::string>;

int64_t ChangesSinceSave(RedisClient& client) {
  return aof::InfoInt(client, "rdb_changes_since_last_save");
}

TEST(BitmapPropagationTest, ChangesAreLoggedAsSentAndNoOpsNotAtAll) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  RedisClient client(server.port());
  // clang-format off
  const std::vector<Argv> sent = {
      {"SETBIT", "b", "3", "1"}, {"SETBIT", "b", "3", "1"}, {"SETBIT", "b", "3", "0"},
      {"SETBIT", "b", "15", "0"}, {"GETBIT", "b", "3"},
      {"BITFIELD", "f", "GET", "u8", "0"}, {"BITFIELD", "f", "SET", "u8", "0", "7"},
      {"BITFIELD", "f", "SET", "u8", "0", "7"}, {"BITFIELD_RO", "f", "GET", "u8", "0"},
      {"BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000"},
      {"BITOP", "OR", "d", "b", "f"}, {"BITOP", "AND", "gone", "missing"},
      {"BITOP", "AND", "d", "missing"}};
  // clang-format on
  for (const Argv& command : sent) client.Command(command);
  aof::StopServer(server, aof::StopKind::kSigkill);

  // clang-format off
  const std::vector<Argv> expected = {
      {"SETBIT", "b", "3", "1"}, {"SETBIT", "b", "3", "0"}, {"SETBIT", "b", "15", "0"},
      {"BITFIELD", "f", "SET", "u8", "0", "7"}, {"BITOP", "OR", "d", "b", "f"},
      {"BITOP", "AND", "d", "missing"}};
  // clang-format on
  EXPECT_EQ(aof::LoggedInDb0(dir.path()), expected);
}

TEST(BitmapPropagationTest, TheDirtyCounterCountsChangedFields) {
  ServerProcess server = ServerProcess::StartEmber();
  RedisClient client(server.port());
  const int64_t before = ChangesSinceSave(client);
  client.Command({"SETBIT", "b", "3", "1"});
  client.Command({"SETBIT", "b", "3", "1"});
  EXPECT_EQ(ChangesSinceSave(client), before + 1);
  client.Command({"BITFIELD", "f", "SET", "u8", "0", "1", "SET", "u8", "8", "2", "GET", "u8", "0"});
  EXPECT_EQ(ChangesSinceSave(client), before + 3);
  client.Command({"BITFIELD", "f", "SET", "u8", "0", "1", "SET", "u8", "8", "3"});
  EXPECT_EQ(ChangesSinceSave(client), before + 4);
}

TEST(BitmapPropagationTest, ReplayingTheLogRebuildsTheBitmaps) {
  aof::TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  {
    RedisClient client(server.port());
    aof::Must(client, {"SETBIT", "b", "100", "1"});
    aof::Must(client, {"SET", "n", "123"});
    aof::Must(client, {"SETBIT", "n", "7", "0"});
    aof::Must(client, {"BITFIELD", "f", "SET", "i5", "#3", "-7", "INCRBY", "u4", "0", "9"});
    aof::Must(client, {"BITOP", "XOR", "x", "b", "f"});
  }
  aof::StopServer(server, aof::StopKind::kSigkill);

  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"STRLEN", "b"}), Int(13));
  EXPECT_EQ(client.Command({"GETBIT", "b", "100"}), Int(1));
  EXPECT_EQ(client.Command({"GET", "n"}), Bulk("023"));
  EXPECT_EQ(client.Command({"BITFIELD", "f", "GET", "i5", "#3", "GET", "u4", "0"}),
            Array({Int(-7), Int(9)}));
  EXPECT_EQ(client.Command({"BITCOUNT", "x"}), Int(6));
}

}  // namespace
}  // namespace ember::test
