// BGSAVE through the real binary: the event loop keeps serving during a save of a large
// keyspace, forkless or fork-based (snapshot-fork), and the file holds the keyspace as of
// the BGSAVE; save points trigger saves; a child killed mid-save leaves the previous dump
// intact. The forkless save's own cases are in rdb_forkless_test.cc.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/integration/rdb_test_util.h"

namespace ember::test {
namespace {

using rdb::TempDir;

constexpr size_t kLargeKeys = 1'000'000;

// A server on `dir` that starts with kLargeKeys keys ("key:<i>" -> "value-<i>").
ServerProcess StartLarge(const TempDir& dir, std::vector<std::string> extra = {}) {
  rdb::WriteFile(dir.file("dump.rdb"), rdb::SyntheticDump(kLargeKeys, 0));
  std::vector<std::string> args = {"--dir", dir.path(), "--save", ""};
  args.insert(args.end(), extra.begin(), extra.end());
  return ServerProcess::StartEmber(args);
}

class RdbBgsaveModeTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RdbBgsaveModeTest, WritesDuringBgsaveAreServedAndNotInTheSnapshot) {
  TempDir dir;
  ServerProcess server = StartLarge(dir, {"--snapshot-fork", GetParam()});
  RedisClient client(server.port());
  ASSERT_EQ(client.Command({"DBSIZE"}), Int(static_cast<long long>(kLargeKeys)));

  // Pipelined with the BGSAVE, so they run before the save can end.
  client.Append({"BGSAVE"});
  client.Append({"BGSAVE"});
  client.Append({"SAVE"});
  EXPECT_EQ(client.ReadReply(), Status("Background saving started"));
  EXPECT_EQ(client.ReadReply(), Error("ERR Background save already in progress"));
  EXPECT_EQ(client.ReadReply(), Error("ERR Background save already in progress"));

  // Keep writing while the child saves: overwrite old keys, add new ones.
  size_t written = 0;
  for (int round = 0; round < 1000; ++round) {
    rdb::Pipeline(client, 1000, [&](size_t i) -> std::vector<std::string> {
      const size_t n = written + i;
      if (n % 2 == 0) return {"SET", "key:" + std::to_string(n), "after-fork"};
      return {"SET", "new:" + std::to_string(n), "after-fork"};
    });
    written += 1000;
    const std::string info = client.Command({"INFO", "persistence"}).str;
    if (info.find("rdb_bgsave_in_progress:0") != std::string::npos) break;
  }
  const std::string info = rdb::WaitForBgsave(client);
  EXPECT_NE(info.find("rdb_last_bgsave_status:ok"), std::string::npos) << info;
  EXPECT_NE(info.find("rdb_changes_since_last_save:" + std::to_string(written)), std::string::npos)
      << info;
  client.Command({"SHUTDOWN", "NOSAVE"});
  server.WaitForExit(std::chrono::seconds(10));

  ServerProcess reloaded = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
  RedisClient check(reloaded.port());
  EXPECT_EQ(check.Command({"DBSIZE"}), Int(static_cast<long long>(kLargeKeys)));
  EXPECT_EQ(check.Command({"GET", "key:0"}), Bulk("value-0"));
  EXPECT_EQ(check.Command({"GET", "key:" + std::to_string(written - 2)}),
            Bulk("value-" + std::to_string(written - 2)));
  EXPECT_EQ(check.Command({"EXISTS", "new:1"}), Int(0));
  EXPECT_EQ(check.Command({"GET", "key:999999"}), Bulk("value-999999"));
}

INSTANTIATE_TEST_SUITE_P(SnapshotFork, RdbBgsaveModeTest, ::testing::Values("no", "yes"));

TEST(RdbBgsaveTest, KilledChildLeavesPreviousDumpIntact) {
  TempDir dir;
  ServerProcess server = StartLarge(dir, {"--snapshot-fork", "yes"});
  RedisClient client(server.port());
  client.Command({"SET", "marker", "previous"});
  ASSERT_EQ(client.Command({"SAVE"}), Status("OK"));
  const std::string previous = rdb::ReadFile(dir.file("dump.rdb"));

  ASSERT_EQ(client.Command({"BGSAVE"}), Status("Background saving started"));
  std::vector<pid_t> children = rdb::ChildrenOf(server.pid());
  ASSERT_EQ(children.size(), 1u);
  ::kill(children[0], SIGKILL);
  const std::string info = rdb::WaitForBgsave(client);
  EXPECT_NE(info.find("rdb_last_bgsave_status:err"), std::string::npos) << info;
  EXPECT_EQ(rdb::ReadFile(dir.file("dump.rdb")), previous);
  EXPECT_FALSE(std::filesystem::exists(dir.file("temp-" + std::to_string(children[0]) + ".rdb")));
  client.Command({"SHUTDOWN", "NOSAVE"});
  server.WaitForExit(std::chrono::seconds(10));

  ServerProcess reloaded = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
  RedisClient check(reloaded.port());
  EXPECT_EQ(check.Command({"DBSIZE"}), Int(static_cast<long long>(kLargeKeys) + 1));
  EXPECT_EQ(check.Command({"GET", "marker"}), Bulk("previous"));
}

TEST(RdbBgsaveTest, SavePointTriggersBackgroundSave) {
  TempDir dir;
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path(), "--save", "1 2"});
  RedisClient client(server.port());
  client.Command({"SET", "a", "1"});
  client.Command({"SET", "b", "2"});
  bool saved = false;
  for (int i = 0; i < 100 && !saved; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    saved = client.Command({"INFO", "persistence"}).str.find("rdb_saves:1") != std::string::npos;
  }
  EXPECT_TRUE(saved);
  EXPECT_TRUE(std::filesystem::exists(dir.file("dump.rdb")));
  EXPECT_NE(server.ReadLog().find("2 changes in 1 seconds. Saving..."), std::string::npos);
}

TEST(RdbBgsaveTest, BgsaveRejectsUnknownArguments) {
  ServerProcess server = ServerProcess::StartEmber({"--save", ""});
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"BGSAVE", "NOW"}), Error("ERR syntax error"));
  EXPECT_EQ(client.Command({"BGSAVE", "SCHEDULE"}), Status("Background saving started"));
  rdb::WaitForBgsave(client);
}

}  // namespace
}  // namespace ember::test
