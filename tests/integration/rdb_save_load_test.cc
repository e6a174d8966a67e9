// SAVE / restart / load through the real binary: data and TTLs survive, the dump is
// replaced atomically, SHUTDOWN and SIGTERM follow Redis's save rule, and LASTSAVE / INFO
// persistence report what happened.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/integration/rdb_test_util.h"

namespace ember::test {
namespace {

using rdb::TempDir;

TEST(RdbSaveLoadTest, SavedDatasetComesBackAfterRestart) {
  TempDir dir;
  rdb::Dataset before;
  {
    ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
    RedisClient client(server.port());
    rdb::FillMixed(client, 30'000);
    EXPECT_EQ(client.Command({"SAVE"}), Status("OK"));
    before = rdb::ReadDataset(client);
    client.Command({"SHUTDOWN", "NOSAVE"});
    EXPECT_TRUE(server.WaitForExit(std::chrono::seconds(10)).has_value());
  }
  ASSERT_EQ(before.size(), 30'000u);
  EXPECT_FALSE(std::filesystem::exists(dir.file("temp-1.rdb")));
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
  RedisClient client(server.port());
  EXPECT_EQ(rdb::ReadDataset(client), before);
  const std::string info = client.Command({"INFO", "persistence"}).str;
  EXPECT_NE(info.find("rdb_last_load_keys_loaded:30000"), std::string::npos) << info;
  EXPECT_NE(server.ReadLog().find("Done loading RDB, keys loaded: 30000"), std::string::npos);
}

TEST(RdbSaveLoadTest, SaveResetsChangeCounterAndMovesLastsave) {
  TempDir dir;
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
  RedisClient client(server.port());
  client.Command({"SET", "a", "1"});
  client.Command({"SET", "b", "2"});
  std::string info = client.Command({"INFO", "persistence"}).str;
  EXPECT_NE(info.find("rdb_changes_since_last_save:2"), std::string::npos) << info;
  const long long before = client.Command({"LASTSAVE"}).integer;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(client.Command({"SAVE"}), Status("OK"));
  EXPECT_GT(client.Command({"LASTSAVE"}).integer, before);
  info = client.Command({"INFO", "persistence"}).str;
  EXPECT_NE(info.find("rdb_changes_since_last_save:0"), std::string::npos) << info;
  EXPECT_NE(info.find("rdb_saves:1"), std::string::npos) << info;
  EXPECT_NE(info.find("rdb_last_bgsave_status:ok"), std::string::npos) << info;
}

TEST(RdbSaveLoadTest, ExpiredKeysAreDroppedAtLoadAndCounted) {
  TempDir dir;
  {
    ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
    RedisClient client(server.port());
    client.Command({"SET", "short", "v", "PX", "300"});
    client.Command({"SET", "long", "v", "EX", "1000"});
    EXPECT_EQ(client.Command({"SAVE"}), Status("OK"));
    client.Command({"SHUTDOWN", "NOSAVE"});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"DBSIZE"}), Int(1));
  EXPECT_NE(client.Command({"INFO", "persistence"}).str.find("rdb_last_load_keys_expired:1"),
            std::string::npos);
}

TEST(RdbSaveLoadTest, SigtermSavesWhenSavePointsAreConfigured) {
  TempDir dir;
  {
    ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
    RedisClient client(server.port());
    client.Command({"SET", "k", "kept"});
    EXPECT_EQ(server.Stop(), 0);
  }
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"GET", "k"}), Bulk("kept"));
}

TEST(RdbSaveLoadTest, SigtermWithoutSavePointsDoesNotSave) {
  TempDir dir;
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
  RedisClient client(server.port());
  client.Command({"SET", "k", "v"});
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_FALSE(std::filesystem::exists(dir.file("dump.rdb")));
}

TEST(RdbSaveLoadTest, ShutdownSaveAndNosaveOverrideTheRule) {
  TempDir dir;
  {
    ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path(), "--save", ""});
    RedisClient client(server.port());
    client.Command({"SET", "k", "saved"});
    EXPECT_EQ(client.Command({"SHUTDOWN", "SAVE", "NOSAVE"}), Error("ERR syntax error"));
    client.Command({"SHUTDOWN", "SAVE"});
    EXPECT_TRUE(server.WaitForExit(std::chrono::seconds(10)).has_value());
  }
  {
    ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
    RedisClient client(server.port());
    EXPECT_EQ(client.Command({"GET", "k"}), Bulk("saved"));
    client.Command({"SET", "k", "not saved"});
    client.Command({"SHUTDOWN", "NOSAVE"});
    EXPECT_TRUE(server.WaitForExit(std::chrono::seconds(10)).has_value());
  }
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"GET", "k"}), Bulk("saved"));
}

TEST(RdbSaveLoadTest, DbfilenameAndConfigGetReportTheSettings) {
  TempDir dir;
  ServerProcess server =
      ServerProcess::StartEmber({"--dir", dir.path(), "--dbfilename", "other.rdb", "--save",
                                 "100 5 20 1000", "--rdbcompression", "no"});
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"CONFIG", "GET", "save"}), BulkArray({"save", "100 5 20 1000"}));
  EXPECT_EQ(client.Command({"CONFIG", "GET", "rdbcompression"}),
            BulkArray({"rdbcompression", "no"}));
  client.Command({"SET", "k", std::string(100, 'x')});
  EXPECT_EQ(client.Command({"SAVE"}), Status("OK"));
  const std::string dump = rdb::ReadFile(dir.file("other.rdb"));
  EXPECT_NE(dump.find(std::string(100, 'x')), std::string::npos) << "stored uncompressed";
}

TEST(RdbSaveLoadTest, DefaultSavePointsAreRedisDefaults) {
  ServerProcess server = ServerProcess::StartEmber();
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"CONFIG", "GET", "save"}),
            BulkArray({"save", "3600 1 300 100 60 10000"}));
}

TEST(RdbSaveLoadTest, SaveLinesInConfigFileAccumulateAndEmptyResets) {
  TempDir dir;
  rdb::WriteFile(dir.file("a.conf"), "save 900 1\nsave 300 10\n");
  rdb::WriteFile(dir.file("b.conf"), "save 900 1\nsave \"\"\n");
  {
    ServerProcess server = ServerProcess::StartEmber({dir.file("a.conf")});
    RedisClient client(server.port());
    EXPECT_EQ(client.Command({"CONFIG", "GET", "save"}), BulkArray({"save", "900 1 300 10"}));
  }
  ServerProcess server = ServerProcess::StartEmber({dir.file("b.conf")});
  RedisClient client(server.port());
  EXPECT_EQ(client.Command({"CONFIG", "GET", "save"}), BulkArray({"save", ""}));
}

}  // namespace
}  // namespace ember::test
