// The forkless AOF rewrite through the real binary: BGREWRITEAOF forks nothing by default; its
// RDB base is the dataset of the moment the rewrite began (written while clients overwrite,
// delete, add keys and FLUSHALL), and that base with the incremental files written since
// reloads to exactly the dataset the clients left (DEBUG DIGEST). SHUTDOWN stops a running
// rewrite without leaving its temporary file. rdb-key-save-delay stretches the walk so the
// changes land while it runs (each test asserts it was still running).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/aof_test_util.h"
#include "tests/integration/rdb_test_util.h"

namespace ember::test {
namespace {

using aof::TempDir;

constexpr size_t kKeys = 3000;

ServerProcess StartSlowRewriter(const TempDir& dir) {
  return aof::StartAof(dir.path(), {"--rdb-key-save-delay", "500"});
}

void Fill(RedisClient& client) {
  rdb::Pipeline(client, kKeys, [](size_t i) -> std::vector<std::string> {
    const std::string n = std::to_string(i);
    switch (i % 3) {
      case 0:
        return {"SET", "s:" + n, "value-" + n};
      case 1:
        return {"HSET", "h:" + n, "a", n, "b", "x" + n};
      default:
        return {"SADD", "t:" + n, n, "m"};
    }
  });
}

// Overwrites, deletes, in-place changes and new keys spread over the keyspace.
void Change(RedisClient& client, const std::string& tag) {
  rdb::Pipeline(client, kKeys, [&](size_t i) -> std::vector<std::string> {
    const std::string n = std::to_string(i);
    switch (i % 4) {
      case 0:
        return {"SET", "s:" + std::to_string(i - i % 3), tag};
      case 1:
        return {"DEL", "h:" + std::to_string(i - i % 3 + 1)};
      case 2:
        return {"SADD", "t:" + std::to_string(i - i % 3 + 2), tag};
      default:
        return {"SET", tag + ":" + n, n};
    }
  });
}

bool RewriteRunning(RedisClient& client) {
  return aof::InfoInt(client, "aof_rewrite_in_progress") == 1;
}

TEST(AofForklessRewriteTest, TheBaseIsTheDatasetOfTheMomentTheRewriteBegan) {
  TempDir dir;
  ServerProcess server = StartSlowRewriter(dir);
  RedisClient client(server.port());
  Fill(client);
  const long long rewrites = aof::InfoInt(client, "aof_rewrites");
  client.Append({"DBSIZE"});
  client.Append({"BGREWRITEAOF"});
  const long long keys_at_start = client.ReadReply().integer;
  ASSERT_EQ(client.ReadReply(), Status("Background append only file rewriting started"));
  EXPECT_TRUE(rdb::ChildrenOf(server.pid()).empty()) << "the rewrite forked";
  EXPECT_EQ(client.Command({"BGREWRITEAOF"}),
            Error("ERR Background append only file rewriting already in progress"));
  Change(client, "during");
  // Still running here, so the FLUSHALL below lands during the rewrite too (which may then
  // end at once: nothing is left to walk).
  ASSERT_TRUE(RewriteRunning(client)) << "the rewrite ended before the changes were made";
  ASSERT_EQ(client.Command({"FLUSHALL"}), Status("OK"));
  Fill(client);
  Change(client, "after-flush");
  const std::string digest = client.Command({"DEBUG", "DIGEST"}).str;
  ASSERT_TRUE(aof::WaitForRewrite(client, rewrites, std::chrono::seconds(60)));
  EXPECT_EQ(InfoField(client.Command({"INFO", "persistence"}).str, "aof_last_bgrewrite_status"),
            "ok");
  EXPECT_EQ(client.Command({"DEBUG", "DIGEST"}).str, digest);

  const std::string base = aof::BasePath(dir.path());
  ASSERT_TRUE(base.ends_with(".base.rdb")) << base;
  const auto [status, check] = rdb::RedisCheckRdb(base);
  EXPECT_EQ(status, 0) << check;
  EXPECT_NE(check.find(std::to_string(keys_at_start) + " keys read"), std::string::npos) << check;
  EXPECT_NE(check.find("aof-base"), std::string::npos) << check;

  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient reloaded(server.port());
  EXPECT_EQ(reloaded.Command({"DEBUG", "DIGEST"}).str, digest);
  EXPECT_EQ(reloaded.Command({"GET", "after-flush:3"}), Bulk("3"));
  EXPECT_EQ(reloaded.Command({"GET", "during:3"}), Nil());
}

TEST(AofForklessRewriteTest, ShutdownStopsARunningRewriteAndLeavesNoTemporaryFile) {
  TempDir dir;
  ServerProcess server = StartSlowRewriter(dir);
  RedisClient client(server.port());
  Fill(client);
  ASSERT_EQ(client.Command({"BGREWRITEAOF"}),
            Status("Background append only file rewriting started"));
  Change(client, "during");
  ASSERT_TRUE(RewriteRunning(client));
  const std::string digest = client.Command({"DEBUG", "DIGEST"}).str;
  client.Command({"SHUTDOWN"});
  ASSERT_TRUE(server.WaitForExit(std::chrono::seconds(20)).has_value());
  EXPECT_FALSE(std::filesystem::exists(
      dir.file("temp-rewriteaof-bg-" + std::to_string(server.pid()) + ".aof")));
  EXPECT_NE(server.ReadLog().find("Stopping the forkless AOF rewrite"), std::string::npos);

  server = aof::StartAof(dir.path());
  RedisClient reloaded(server.port());
  EXPECT_EQ(reloaded.Command({"DEBUG", "DIGEST"}).str, digest);
}

TEST(AofForklessRewriteTest, SnapshotForkYesRewritesInAChild) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--snapshot-fork", "yes"});
  RedisClient client(server.port());
  Fill(client);
  rdb::Pipeline(client, 200000, [](size_t i) -> std::vector<std::string> {
    return {"SET", "bulk:" + std::to_string(i), std::string(100, 'v')};
  });
  ASSERT_EQ(client.Command({"BGREWRITEAOF"}),
            Status("Background append only file rewriting started"));
  EXPECT_EQ(rdb::ChildrenOf(server.pid()).size(), 1u);
  aof::WaitForRewrite(client, 0);
  EXPECT_NE(server.ReadLog().find("rewriting started by pid"), std::string::npos);
}

}  // namespace
}  // namespace ember::test
