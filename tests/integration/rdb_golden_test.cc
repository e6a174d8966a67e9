// Dumps written by redis-server 7.0.15 (tests/golden/rdb/README.md) load into Ember with
// every string encoding decoded exactly, and a list is written back as Redis wrote it.
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

// The list Redis 7.0 wrote (RPUSH mylist a b c: one quicklist node holding a listpack)
// loads as a list, and Ember writes it back as the same node: its DUMP payload, before the
// RDB version and checksum, is the type byte and value bytes of the golden file, and a
// save and restart keep them.
TEST(RdbGoldenTest, ListLoadsAndIsWrittenBackAsRedisWroteIt) {
  const std::string golden_value(
      "\x12\x01\x02\x10\x10\x00\x00\x00\x03\x00\x81"
      "a\x02\x81"
      "b\x02\x81"
      "c\x02\xff",
      20);
  const std::string file = rdb::ReadFile(rdb::GoldenPath("list_7.0.rdb"));
  ASSERT_NE(file.find(golden_value.substr(1)), std::string::npos) << "golden file changed";
  TempDir dir;
  rdb::WriteFile(dir.file("dump.rdb"), file);
  for (int start = 0; start < 2; ++start) {
    ServerProcess server = ServerProcess::StartEmber({"--dir", dir.path()});
    RedisClient client(server.port());
    EXPECT_EQ(client.Command({"DBSIZE"}), Int(2));
    EXPECT_EQ(client.Command({"GET", "before-list"}), Bulk("v"));
    EXPECT_EQ(client.Command({"TYPE", "mylist"}), Status("list"));
    EXPECT_EQ(client.Command({"OBJECT", "ENCODING", "mylist"}), Bulk("quicklist"));
    const Reply dump = client.Command({"DUMP", "mylist"});
    ASSERT_EQ(dump.type, Reply::Type::kString);
    EXPECT_EQ(dump.str.substr(0, golden_value.size()), golden_value);
    EXPECT_EQ(client.Command({"SAVE"}), Status("OK"));
  }
}

}  // namespace
}  // namespace ember::test
