// What the log holds and how BGREWRITEAOF compacts it, through the real binary: nothing
// for reads or for writes that changed nothing, a DEL for a key that expired; writes that
// race a rewrite are all kept across a restart; an overwrite-heavy log shrinks to one base
// and an empty incr, with the old files deleted and INFO's sizes matching the files; growth
// past auto-aof-rewrite-min-size and -percentage starts a rewrite by itself; a rewrite asked
// for during BGSAVE is scheduled.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/integration/aof_test_util.h"

namespace ember::test {
namespace {

using aof::TempDir;

// Sum of the sizes of the set's files (everything in appendonlydir but the manifest).
uint64_t SetSizeOnDisk(const std::string& dir) {
  uint64_t total = 0;
  for (const std::string& name : aof::ListDir(aof::AofDir(dir))) {
    if (!name.ends_with(".manifest"))
      total += std::filesystem::file_size(aof::AofDir(dir) + "/" + name);
  }
  return total;
}

// Writes mixed traffic (overwrites, new keys with TTLs, counters, deletes) in pipelined
// batches of 1000 until `stop` or 300 batches.
void MixedTraffic(int port, const std::atomic<bool>& stop, std::atomic<size_t>& written) {
  RedisClient client(port);
  for (size_t batch = 0; batch < 300 && !stop; ++batch) {
    rdb::Pipeline(client, 1000, [&](size_t i) -> std::vector<std::string> {
      const size_t n = batch * 1000 + i;
      switch (n % 4) {
        case 0:
          return {"SET", "key:" + std::to_string(n * 7 % 100'000), "w" + std::to_string(n)};
        case 1:
          return {"SET", "new:" + std::to_string(n), "v", "EX", "1000"};
        case 2:
          return {"INCR", "counter:" + std::to_string(n % 10)};
        default:
          return {"DEL", "key:" + std::to_string(n * 13 % 100'000)};
      }
    });
    written += 1000;
  }
}

TEST(AofRewriteTest, WritesDuringARewriteSurviveARestart) {
  TempDir dir;
  aof::WriteFile(dir.file("dump.rdb"), rdb::SyntheticDump(100'000, 0));
  ServerProcess server = aof::StartAof(dir.path());
  ASSERT_TRUE(server.running());
  RedisClient client(server.port());
  std::atomic<bool> stop{false};
  std::atomic<size_t> written{0};
  std::thread writer(MixedTraffic, server.port(), std::cref(stop), std::ref(written));
  WaitFor([&] { return written >= 3000; }, std::chrono::seconds(10));
  const long long rewrites = aof::InfoInt(client, "aof_rewrites");
  ASSERT_NE(client.Command({"BGREWRITEAOF"}).type, Reply::Type::kError);
  const size_t at_start = written;
  const bool done = aof::WaitForRewrite(client, rewrites);
  const size_t at_end = written;
  WaitFor([&] { return written >= at_end + 3000; }, std::chrono::seconds(10));
  stop = true;
  writer.join();
  ASSERT_TRUE(done);
  EXPECT_GT(at_end, at_start) << "no write raced the rewrite";
  const aof::Dataset expected = aof::ReadDataset(client);
  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient reloaded(server.port());
  EXPECT_EQ(aof::ReadDataset(reloaded), expected) << server.ReadLog();
}

TEST(AofRewriteTest, OverwriteHeavyLogShrinksAndOldFilesAreDeleted) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  constexpr size_t kKeys = 100;
  constexpr size_t kWrites = kKeys * 10'000;
  rdb::Pipeline(client, kWrites, [](size_t i) -> std::vector<std::string> {
    return {"SET", "hot:" + std::to_string(i % kKeys), "value-" + std::to_string(i)};
  });
  const std::vector<std::string> files_before = aof::ListDir(aof::AofDir(dir.path()));
  const long long size_before = aof::InfoInt(client, "aof_current_size");
  EXPECT_EQ(static_cast<uint64_t>(size_before), SetSizeOnDisk(dir.path()));
  EXPECT_GT(size_before, 30'000'000);

  aof::Rewrite(client);
  const long long size_after = aof::InfoInt(client, "aof_current_size");
  EXPECT_LT(size_after, 10'000) << "before: " << size_before;
  EXPECT_EQ(aof::InfoInt(client, "aof_base_size"), size_after);
  // History files are deleted in the background: wait for only the new set to remain.
  const bool cleaned = WaitFor([&] { return aof::ListDir(aof::AofDir(dir.path())).size() == 3; },
                               std::chrono::seconds(5));
  const std::vector<std::string> files_after = aof::ListDir(aof::AofDir(dir.path()));
  EXPECT_TRUE(cleaned) << ::testing::PrintToString(files_after);
  EXPECT_EQ(files_after,
            (std::vector<std::string>{"appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof",
                                      "appendonly.aof.manifest"}))
      << "before: " << ::testing::PrintToString(files_before);
  EXPECT_TRUE(aof::ManifestFiles(dir.path(), "h").empty())
      << aof::ReadFile(aof::ManifestPath(dir.path()));
  EXPECT_EQ(static_cast<uint64_t>(size_after), SetSizeOnDisk(dir.path()));

  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient reloaded(server.port());
  EXPECT_EQ(reloaded.Command({"DBSIZE"}), Int(static_cast<long long>(kKeys)));
  for (size_t k : {size_t{0}, size_t{42}, kKeys - 1}) {
    EXPECT_EQ(reloaded.Command({"GET", "hot:" + std::to_string(k)}),
              Bulk("value-" + std::to_string(kWrites - kKeys + k)));
  }
}

TEST(AofRewriteTest, GrowthPastMinSizeAndPercentageStartsARewrite) {
  TempDir dir;
  ServerProcess server = aof::StartAof(
      dir.path(), {"--auto-aof-rewrite-min-size", "1mb", "--auto-aof-rewrite-percentage", "100"});
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"CONFIG", "GET", "auto-aof-rewrite-min-size"}),
            BulkArray({"auto-aof-rewrite-min-size", "1048576"}));
  // Values that LZF cannot shrink, so the base written by the rewrite is as large as the log.
  auto write = [&](size_t from, size_t count) {
    rdb::Pipeline(client, count, [&](size_t i) -> std::vector<std::string> {
      std::string value(1000, '\0');
      uint64_t x = 0x9E3779B97F4A7C15ull * (from + i + 1);
      for (char& c : value) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        c = static_cast<char>('!' + x % 90);
      }
      return {"SET", "k:" + std::to_string(from + i), value};
    });
  };
  write(0, 500);  // ~0.5 MB: far past 100% growth, but under the minimum size
  EXPECT_FALSE(WaitFor([&] { return aof::InfoInt(client, "aof_rewrites") > 0; },
                       std::chrono::milliseconds(400)))
      << "rewrote below auto-aof-rewrite-min-size";
  write(500, 700);
  ASSERT_TRUE(aof::WaitForRewrite(client, 0));
  EXPECT_NE(server.ReadLog().find("Starting automatic rewriting of AOF on"), std::string::npos)
      << server.ReadLog();
  EXPECT_GT(aof::InfoInt(client, "aof_base_size"), 1'000'000);
}

TEST(AofRewriteTest, RewriteDuringBgsaveIsScheduledAndARunningOneIsNotRestarted) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  rdb::FillMixed(client, 3'000);
  const long long rewrites = aof::InfoInt(client, "aof_rewrites");
  // Pipelined, so both run before the cron can reap the BGSAVE child.
  client.Append({"BGSAVE"});
  client.Append({"BGREWRITEAOF"});
  EXPECT_EQ(client.ReadReply(), Status("Background saving started"));
  EXPECT_EQ(client.ReadReply(), Status("Background append only file rewriting scheduled"));
  ASSERT_TRUE(aof::WaitForRewrite(client, rewrites));

  client.Append({"BGREWRITEAOF"});
  client.Append({"BGREWRITEAOF"});
  EXPECT_EQ(client.ReadReply(), Status("Background append only file rewriting started"));
  EXPECT_EQ(client.ReadReply(),
            Error("ERR Background append only file rewriting already in progress"));
  ASSERT_TRUE(aof::WaitForRewrite(client, rewrites + 1));
  const aof::Dataset expected = aof::ReadDataset(client);
  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient reloaded(server.port());
  EXPECT_EQ(aof::ReadDataset(reloaded), expected);
}

// Running `commands` (20 times) changes neither aof_current_size nor the file.
void ExpectNotLogged(const std::vector<std::vector<std::string>>& commands) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path(), {"--appendfsync", "always"});
  RedisClient client(server.port());
  aof::Must(client, {"SET", "k", "1"});
  aof::Must(client, {"SET", "s", "text"});
  const long long size = aof::InfoInt(client, "aof_current_size");
  const std::string file = aof::ReadFile(aof::LastIncrPath(dir.path()));
  for (int round = 0; round < 20; ++round) {
    for (const auto& command : commands) client.Command(command);
  }
  EXPECT_EQ(aof::InfoInt(client, "aof_current_size"), size);
  EXPECT_EQ(aof::ReadFile(aof::LastIncrPath(dir.path())), file);
}

TEST(AofLogContentTest, ReadOnlyCommandsAreNotLogged) {
  ExpectNotLogged({{"GET", "k"},
                   {"EXISTS", "k", "nope"},
                   {"TTL", "k"},
                   {"PTTL", "k"},
                   {"MGET", "k", "s"},
                   {"STRLEN", "s"},
                   {"GETRANGE", "s", "0", "1"},
                   {"TYPE", "k"},
                   {"KEYS", "*"},
                   {"SCAN", "0"},
                   {"DBSIZE"},
                   {"RANDOMKEY"},
                   {"PEXPIRETIME", "k"},
                   {"GET", "missing"},
                   {"PING"},
                   {"INFO"}});
}

// As in Redis, a command is propagated only when it changed the keyspace.
TEST(AofLogContentTest, WritesThatChangeNothingAndFailedWritesAreNotLogged) {
  ExpectNotLogged({{"DEL", "missing"},
                   {"EXPIRE", "missing", "10"},
                   {"PERSIST", "k"},
                   {"SETNX", "k", "x"},
                   {"SET", "k", "x", "NX"},
                   {"GETDEL", "missing"},
                   {"INCR", "s"},
                   {"MSETNX", "k", "1", "other", "2"},
                   {"MULTI"},
                   {"SET", "queued", "1"},
                   {"DISCARD"}});
}

TEST(AofLogContentTest, KeysDeletedByActiveExpiryAreLoggedAsDel) {
  TempDir dir;
  ServerProcess server = aof::StartAof(dir.path());
  RedisClient client(server.port());
  aof::Must(client, {"SELECT", "3"});
  aof::Must(client, {"SET", "gone", "v", "PX", "100"});
  aof::Must(client, {"SET", "kept", "v"});
  aof::Must(client, {"SELECT", "0"});
  auto del_logged = [&] {
    for (const aof::LoggedCommand& c : aof::ReadLoggedCommands(dir.path())) {
      if ((c.argv[0] == "DEL" || c.argv[0] == "UNLINK") && c.argv[1] == "gone") return c.db == 3;
    }
    return false;
  };
  // Nothing reads "gone": only active expiry can remove it.
  EXPECT_TRUE(WaitFor(del_logged, std::chrono::seconds(5)))
      << aof::ReadFile(aof::LastIncrPath(dir.path()));
  aof::StopServer(server, aof::StopKind::kSigkill);
  server = aof::StartAof(dir.path());
  RedisClient reloaded(server.port());
  aof::Must(reloaded, {"SELECT", "3"});
  EXPECT_EQ(reloaded.Command({"DBSIZE"}), Int(1));
}

}  // namespace
}  // namespace ember::test
