// Restarting on the append-only file: every key, value and expiry of a write workload comes
// back after SHUTDOWN and after SIGKILL, under each fsync policy, with and without the RDB
// preamble, before and after BGREWRITEAOF; expiries stay absolute across a restart; a
// failed command inside EXEC, FLUSHALL, an 8 MB value and custom file names replay; an
// existing dump.rdb is imported as the first base; CONFIG SET appendonly turns the log on
// (through a rewrite) and off at runtime.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>
#include <tuple>

#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using aof::StopKind;
using aof::TempDir;

class AofRestartTest : public ::testing::TestWithParam<std::tuple<std::string, bool>> {
 protected:
  std::vector<std::string> Args() const {
    return {"--appendfsync", std::get<0>(GetParam()), "--aof-use-rdb-preamble",
            std::get<1>(GetParam()) ? "yes" : "no"};
  }
};

TEST_P(AofRestartTest, KeyspaceSurvivesShutdownAndSigkillBeforeAndAfterRewrite) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), Args());
  ASSERT_TRUE(server.running());
  // Writes round `round`, stops the server as `kind`, restarts it, compares every database.
  auto round_trip = [&](int round, StopKind kind) {
    SCOPED_TRACE(std::string("round ") + std::to_string(round) + ", " + aof::StopKindName(kind));
    aof::Dataset expected;
    {
      RedisClient client(server.port());
      aof::WriteWorkload(client, round);
      if (std::get<0>(GetParam()) == "always") {
        EXPECT_EQ(aof::InfoInt(client, "aof_buffer_length"), 0) << "always replied before writing";
      }
      expected = aof::ReadDataset(client);
    }
    aof::StopServer(server, kind);
    server = aof::StartAof(dir.path(), Args());
    if (!server.running()) return size_t{0};
    RedisClient client(server.port());
    EXPECT_EQ(aof::ReadDataset(client), expected) << server.ReadLog();
    EXPECT_EQ(client.Command({"GET", "r" + std::to_string(round) + ":n"}), Bulk("5"));
    return expected.size();
  };
  round_trip(0, StopKind::kShutdown);
  round_trip(1, StopKind::kSigkill);
  {
    RedisClient client(server.port());
    aof::Rewrite(client);
  }
  const std::string base = aof::BasePath(dir.path());
  EXPECT_TRUE(base.ends_with(std::get<1>(GetParam()) ? ".base.rdb" : ".base.aof")) << base;
  EXPECT_TRUE(aof::ReadFile(base).starts_with(std::get<1>(GetParam()) ? "REDIS" : "*")) << base;
  round_trip(2, StopKind::kSigkill);
  const size_t keys = round_trip(3, StopKind::kShutdown);
  EXPECT_EQ(keys, 4u * 21u + 1u);  // 21 keys a round, and FLUSHDB keeps one in db 2
}

INSTANTIATE_TEST_SUITE_P(PolicyAndPreamble, AofRestartTest,
                         ::testing::Combine(::testing::Values("always", "everysec", "no"),
                                            ::testing::Bool()),
                         [](const auto& test_info) {
                           return std::get<0>(test_info.param) +
                                  (std::get<1>(test_info.param) ? "_Preamble" : "_Resp");
                         });

// A relative TTL is logged as an absolute time: a restart does not restart the clock.
TEST(AofExpiryRestartTest, TtlKeepsCountingDownAcrossARestart) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path());
  const auto set_at = std::chrono::steady_clock::now();
  {
    RedisClient client(server.port());
    ASSERT_EQ(client.Command({"SET", "k", "v", "EX", "10"}), Status("OK"));
    ASSERT_EQ(client.Command({"SETEX", "k2", "10", "v"}), Status("OK"));
  }
  aof::StopServer(server, aof::StopKind::kSigkill);
  // The passing of time is what is tested here, not a synchronisation.
  std::this_thread::sleep_until(set_at + std::chrono::seconds(3));
  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  for (const char* key : {"k", "k2"}) {
    const long long ttl = client.Command({"TTL", key}).integer;
    EXPECT_GT(ttl, 0) << key;
    EXPECT_LE(ttl, 7) << key;
  }
}

// A TTL removed or pushed back before its first deadline is what counts after a restart that
// comes later than that deadline: replay must not expire the key on its first SET.
TEST(AofExpiryRestartTest, TtlRemovedOrExtendedBeforeItsDeadlineSurvivesALaterRestart) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path());
  const auto set_at = std::chrono::steady_clock::now();
  {
    RedisClient client(server.port());
    aof::Must(client, {"SET", "persisted", "v", "PX", "300"});
    aof::Must(client, {"PERSIST", "persisted"});
    aof::Must(client, {"SET", "extended", "v", "PX", "300"});
    aof::Must(client, {"PEXPIRE", "extended", "100000"});
    aof::Must(client, {"SET", "counter", "1", "PX", "300"});
    aof::Must(client, {"INCR", "counter"});
    aof::Must(client, {"SET", "expires", "v", "PX", "300"});
  }
  aof::StopServer(server, StopKind::kSigkill);
  std::this_thread::sleep_until(set_at + std::chrono::milliseconds(500));
  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"GET", "persisted"}), Bulk("v"));
  EXPECT_EQ(client.Command({"TTL", "persisted"}), Int(-1));
  EXPECT_EQ(client.Command({"GET", "extended"}), Bulk("v"));
  EXPECT_GT(client.Command({"PTTL", "extended"}).integer, 90'000);
  EXPECT_EQ(client.Command({"EXISTS", "counter", "expires"}), Int(0)) << "INCR keeps the TTL";
}

// As during replay in Redis, a command that failed inside EXEC does not stop the others.
TEST(AofRestartEdgeTest, TransactionWithAFailingCommandReplaysTheOthers) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path());
  {
    RedisClient client(server.port());
    aof::Must(client, {"SET", "s", "text"});
    aof::Must(client, {"MULTI"});
    aof::Must(client, {"SET", "a", "1"});
    aof::Must(client, {"INCR", "s"});
    aof::Must(client, {"SET", "b", "2"});
    const Reply exec = client.Command({"EXEC"});
    ASSERT_EQ(exec.elements.size(), 3u) << exec.ToString();
    EXPECT_EQ(exec.elements[1].type, Reply::Type::kError);
  }
  aof::StopServer(server, StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  ASSERT_TRUE(server.running());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"MGET", "s", "a", "b"}), BulkArray({"text", "1", "2"}))
      << server.ReadLog();
}

TEST(AofRestartEdgeTest, FlushallAndALargeValueRoundTripInARespBase) {
  TempDir dir;
  const std::vector<std::string> args = {"--aof-use-rdb-preamble", "no"};
  std::string big(8 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 % 251);
  const aof::Dataset expected = {{"3:big", {big, -1}}};
  ServerProcess server = aof::StartAof(dir.path(), args);
  {
    RedisClient client(server.port());
    aof::Must(client, {"SET", "gone", "v"});
    aof::Must(client, {"SELECT", "3"});
    aof::Must(client, {"SET", "gone", "v"});
    aof::Must(client, {"FLUSHALL"});
    aof::Must(client, {"SET", "big", big});
  }
  for (bool rewrite : {false, true}) {
    SCOPED_TRACE(rewrite ? "after a rewrite" : "before a rewrite");
    if (rewrite) {
      RedisClient client(server.port());
      aof::Rewrite(client);
    }
    aof::StopServer(server, StopKind::kSigkill);
    server = aof::StartAof(dir.path(), args);
    RedisClient client(server.port());
    EXPECT_TRUE(aof::ReadDataset(client) == expected) << server.ReadLog();
  }
}

TEST(AofRestartEdgeTest, CustomDirectoryAndFileNamesAreUsedAndReloaded) {
  TempDir dir;
  const std::vector<std::string> names = {"--appenddirname", "journal", "--appendfilename",
                                          "ember.aof"};
  ServerProcess server = aof::StartAof(dir.path(), names);
  aof::Dataset expected;
  {
    RedisClient client(server.port());
    aof::WriteWorkload(client, 0);
    aof::Rewrite(client);
    aof::WriteWorkload(client, 1);
    expected = aof::ReadDataset(client);
  }
  aof::StopServer(server, StopKind::kSigkill);
  EXPECT_FALSE(std::filesystem::exists(aof::AofDir(dir.path())));
  EXPECT_EQ(aof::ListDir(dir.file("journal")),
            (std::vector<std::string>{"ember.aof.2.base.rdb", "ember.aof.2.incr.aof",
                                      "ember.aof.manifest"}));
  const aof::ExitResult check = aof::RedisCheckAof(dir.file("journal/ember.aof.manifest"));
  EXPECT_EQ(check.status, 0) << check.log;
  server = aof::StartAof(dir.path(), names);
  RedisClient client(server.port());
  EXPECT_EQ(aof::ReadDataset(client), expected) << server.ReadLog();
}

TEST(AofStartupTest, ExistingDumpIsImportedAsTheFirstBase) {
  TempDir dir;
  aof::Dataset expected;
  {
    ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
    RedisClient client(server.port());
    rdb::FillMixed(client, 3'000);
    ASSERT_EQ(client.Command({"SAVE"}), Status("OK"));
    expected = aof::ReadDataset(client);
  }
  ASSERT_FALSE(std::filesystem::exists(aof::AofDir(dir.path())));
  ServerProcess server = aof::StartAof(dir.path());
  {
    RedisClient client(server.port());
    EXPECT_EQ(aof::ReadDataset(client), expected) << server.ReadLog();
    EXPECT_EQ(aof::InfoInt(client, "aof_enabled"), 1);
    aof::Must(client, {"SET", "after-import", "v"});
  }
  ASSERT_TRUE(std::filesystem::exists(aof::ManifestPath(dir.path())));
  EXPECT_EQ(aof::ManifestFiles(dir.path(), "b").size(), 1u);
  expected["0:after-import"] = {"v", -1};
  // The set alone must hold the data: without the dump, a restart gives the same keyspace.
  aof::StopServer(server, aof::StopKind::kSigkill);
  std::filesystem::remove(dir.file("dump.rdb"));
  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  EXPECT_EQ(aof::ReadDataset(client), expected) << server.ReadLog();
}

TEST(AofStartupTest, ExistingSetTakesPrecedenceOverTheDump) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path());
  {
    RedisClient client(server.port());
    aof::Must(client, {"SET", "from", "aof"});
  }
  aof::StopServer(server, aof::StopKind::kSigkill);
  aof::WriteFile(dir.file("dump.rdb"), rdb::SyntheticDump(10, 0));
  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"GET", "from"}), Bulk("aof"));
  EXPECT_EQ(client.Command({"DBSIZE"}), Int(1));
}

TEST(AofRuntimeSwitchTest, ConfigSetAppendonlyYesWritesABaseThatSurvivesSigkill) {
  TempDir dir;
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
  aof::Dataset expected;
  {
    RedisClient client(server.port());
    rdb::FillMixed(client, 3'000);
    aof::WriteWorkload(client, 0);
    EXPECT_EQ(aof::InfoInt(client, "aof_enabled"), 0);
    const long long rewrites = aof::InfoInt(client, "aof_rewrites");
    ASSERT_EQ(client.Command({"CONFIG", "SET", "appendonly", "yes"}), Status("OK"));
    aof::WriteWorkload(client, 1);  // while the first base is being written
    ASSERT_TRUE(aof::WaitForRewrite(client, rewrites));
    EXPECT_EQ(aof::InfoInt(client, "aof_enabled"), 1);
    EXPECT_EQ(client.Command({"CONFIG", "GET", "appendonly"}), BulkArray({"appendonly", "yes"}));
    aof::WriteWorkload(client, 2);
    expected = aof::ReadDataset(client);
  }
  aof::StopServer(server, aof::StopKind::kSigkill);
  EXPECT_EQ(aof::ManifestFiles(dir.path(), "b").size(), 1u);
  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  EXPECT_EQ(aof::ReadDataset(client), expected) << server.ReadLog();
}

TEST(AofRuntimeSwitchTest, ConfigSetAppendonlyNoStopsAppending) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path());
  {
    RedisClient client(server.port());
    aof::Must(client, {"SET", "logged", "v"});
    ASSERT_EQ(client.Command({"CONFIG", "SET", "appendonly", "no"}), Status("OK"));
    EXPECT_EQ(aof::InfoInt(client, "aof_enabled"), 0);
    const std::string incr = aof::LastIncrPath(dir.path());
    const auto size = std::filesystem::file_size(incr);
    for (int i = 0; i < 100; ++i) aof::Must(client, {"SET", "unlogged:" + std::to_string(i), "v"});
    EXPECT_EQ(std::filesystem::file_size(incr), size);
  }
  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"GET", "logged"}), Bulk("v"));
  EXPECT_EQ(client.Command({"DBSIZE"}), Int(1));
}

}  // namespace
}  // namespace ember::test
