// Dumps written by redis-server 7.0.15 (tests/golden/rdb/README.md) load into Ember with
// every string encoding decoded exactly; a type Ember cannot hold stops startup with a
// message naming the key, the type and the offset.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/rdb_test_util.h"

namespace ember::test {
namespace {

using rdb::TempDir;

void ExpectGoldenStrings(RedisClient& client) {
  EXPECT_EQ(client.Command({"DBSIZE"}), Int(16));
  EXPECT_EQ(client.Command({"GET", "int8"}), Bulk("12"));
  EXPECT_EQ(client.Command({"GET", "int8neg"}), Bulk("-128"));
  EXPECT_EQ(client.Command({"GET", "int16"}), Bulk("-129"));
  EXPECT_EQ(client.Command({"GET", "int16max"}), Bulk("32767"));
  EXPECT_EQ(client.Command({"GET", "int32"}), Bulk("65536"));
  EXPECT_EQ(client.Command({"GET", "int32min"}), Bulk("-2147483648"));
  EXPECT_EQ(client.Command({"GET", "int64"}), Bulk("9223372036854775807"));
  EXPECT_EQ(client.Command({"GET", "notcanonical"}), Bulk("007"));
  EXPECT_EQ(client.Command({"GET", "empty"}), Bulk(""));
  EXPECT_EQ(client.Command({"GET", "short"}), Bulk("hello"));
  EXPECT_EQ(client.Command({"GET", "twenty"}), Bulk("01234567890123456789"));
  std::string lzf;
  for (int i = 0; i < 40; ++i) lzf += "abcabcabc";
  EXPECT_EQ(client.Command({"GET", "lzf"}), Bulk(lzf));
  EXPECT_EQ(client.Command({"STRLEN", "incompressible"}), Int(100));
  EXPECT_EQ(client.Command({"GET", "binary"}), Bulk(std::string("bin\0\xff\r\nary", 10)));
  EXPECT_EQ(client.Command({"STRLEN", "long14"}), Int(20000));
  EXPECT_EQ(client.Command({"GET", "42"}), Bulk("integer-key"));
  EXPECT_EQ(client.Command({"PEXPIRETIME", "int8"}), Int(4102444800123));
  EXPECT_EQ(client.Command({"PEXPIRETIME", "lzf"}), Int(4102444800000));
  EXPECT_EQ(client.Command({"PEXPIRETIME", "short"}), Int(-1));
  client.Command({"SELECT", "3"});
  EXPECT_EQ(client.Command({"GET", "db3key"}), Bulk("db3value"));
  EXPECT_EQ(client.Command({"PEXPIRETIME", "db3key"}), Int(4102444800999));
  client.Command({"SELECT", "15"});
  EXPECT_EQ(client.Command({"GET", "db15"}), Bulk(std::string(100, 'x')));
}

ServerProcess StartWithDump(const TempDir& dir, const std::string& golden) {
  rdb::WriteFile(dir.file("dump.rdb"), rdb::ReadFile(rdb::GoldenPath(golden)));
  return ServerProcess::StartEmber({"--dir", dir.path()});
}

TEST(RdbGoldenTest, RedisStringDumpLoadsEveryEncoding) {
  TempDir dir;
  ServerProcess server = StartWithDump(dir, "strings_7.0.rdb");
  RedisClient client(server.port());
  ExpectGoldenStrings(client);
}

TEST(RdbGoldenTest, UncompressedDumpWithoutChecksumLoads) {
  TempDir dir;
  ServerProcess server = StartWithDump(dir, "strings_nocompress_nochecksum_7.0.rdb");
  RedisClient client(server.port());
  ExpectGoldenStrings(client);
}

TEST(RdbGoldenTest, GoldenStringsSurviveAnEmberRoundTrip) {
  TempDir dir;
  {
    ServerProcess server = StartWithDump(dir, "strings_7.0.rdb");
    RedisClient client(server.port());
    ASSERT_EQ(client.Command({"SAVE"}), Status("OK"));
    client.Command({"SHUTDOWN", "NOSAVE"});
    server.WaitForExit(std::chrono::seconds(10));
  }
  ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
  RedisClient client(server.port());
  ExpectGoldenStrings(client);
}

TEST(RdbGoldenTest, ListValueStopsStartupNamingKeyTypeAndOffset) {
  TempDir dir;
  rdb::WriteFile(dir.file("dump.rdb"), rdb::ReadFile(rdb::GoldenPath("list_7.0.rdb")));
  ServerProcess::SpawnOptions options;
  options.binary = ServerProcess::EmberBinary();
  options.args = {"--http-port", "0",      "--dir",
                  dir.path(),    "--port", std::to_string(ServerProcess::FreePort())};
  ServerProcess server = ServerProcess::Spawn(options);
  std::optional<int> status = server.WaitForExit(std::chrono::seconds(10));
  ASSERT_TRUE(status.has_value());
  EXPECT_NE(*status, 0);
  const std::string log = server.ReadLog();
  EXPECT_NE(log.find("key 'mylist'"), std::string::npos) << log;
  EXPECT_NE(log.find("list (quicklist2)"), std::string::npos) << log;
  EXPECT_NE(log.find("at offset 100"), std::string::npos) << log;
}

}  // namespace
}  // namespace ember::test
