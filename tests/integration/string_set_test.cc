// SET and its options, and the commands that set or read one string with a TTL twist:
// GET, GETSET, GETDEL, GETEX, SETNX, SETEX, PSETEX.
#include <chrono>
#include <string>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using StringSetTest = ServerTest;

long long UnixSecondsNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_F(StringSetTest, SetThenGetReturnsValue) {
  EXPECT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v"));
  EXPECT_EQ(Run({"GET", "missing"}), Nil());
}

TEST_F(StringSetTest, ValuesAreBinarySafe) {
  const std::string value("a\0b\r\nc\xff", 7);
  EXPECT_EQ(Run({"SET", "bin", value}), Status("OK"));
  EXPECT_EQ(Run({"GET", "bin"}), Bulk(value));
  EXPECT_EQ(Run({"STRLEN", "bin"}), Int(7));
}

TEST_F(StringSetTest, SetOverwritesAndClearsTtl) {
  ASSERT_EQ(Run({"SET", "k", "v1", "EX", "100"}), Status("OK"));
  EXPECT_EQ(Run({"SET", "k", "v2"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v2"));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
}

TEST_F(StringSetTest, SetExAndPxSetRelativeTtl) {
  ASSERT_EQ(Run({"SET", "a", "v", "EX", "100"}), Status("OK"));
  Reply ttl = Run({"TTL", "a"});
  EXPECT_TRUE(ttl.integer >= 99 && ttl.integer <= 100) << ttl.ToString();
  ASSERT_EQ(Run({"SET", "b", "v", "px", "100000"}), Status("OK"));
  Reply pttl = Run({"PTTL", "b"});
  EXPECT_TRUE(pttl.integer > 99000 && pttl.integer <= 100000) << pttl.ToString();
}

TEST_F(StringSetTest, SetExatAndPxatSetAbsoluteExpiry) {
  const long long at = UnixSecondsNow() + 1000;
  ASSERT_EQ(Run({"SET", "a", "v", "EXAT", std::to_string(at)}), Status("OK"));
  EXPECT_EQ(Run({"EXPIRETIME", "a"}), Int(at));
  ASSERT_EQ(Run({"SET", "b", "v", "PXAT", std::to_string(at * 1000 + 123)}), Status("OK"));
  EXPECT_EQ(Run({"PEXPIRETIME", "b"}), Int(at * 1000 + 123));
}

TEST_F(StringSetTest, SetKeepTtlKeepsExistingExpiry) {
  ASSERT_EQ(Run({"SET", "k", "v1", "EX", "100"}), Status("OK"));
  EXPECT_EQ(Run({"SET", "k", "v2", "KEEPTTL"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v2"));
  Reply ttl = Run({"TTL", "k"});
  EXPECT_TRUE(ttl.integer >= 99 && ttl.integer <= 100) << ttl.ToString();
}

TEST_F(StringSetTest, SetNxOnlyCreates) {
  EXPECT_EQ(Run({"SET", "k", "v1", "NX"}), Status("OK"));
  EXPECT_EQ(Run({"SET", "k", "v2", "NX"}), Nil());
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v1"));
}

TEST_F(StringSetTest, SetXxOnlyOverwrites) {
  EXPECT_EQ(Run({"SET", "k", "v1", "XX"}), Nil());
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
  ASSERT_EQ(Run({"SET", "k", "v1"}), Status("OK"));
  EXPECT_EQ(Run({"SET", "k", "v2", "XX"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v2"));
}

TEST_F(StringSetTest, SetGetReturnsOldValue) {
  EXPECT_EQ(Run({"SET", "k", "v1", "GET"}), Nil());
  EXPECT_EQ(Run({"SET", "k", "v2", "GET"}), Bulk("v1"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v2"));
  // With NX the old value comes back and nothing is written (allowed since Redis 7.0).
  EXPECT_EQ(Run({"SET", "k", "v3", "NX", "GET"}), Bulk("v2"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v2"));
}

TEST_F(StringSetTest, SetRejectsConflictingOrBrokenOptions) {
  const Reply syntax = Error("ERR syntax error");
  EXPECT_EQ(Run({"SET", "k", "v", "NX", "XX"}), syntax);
  EXPECT_EQ(Run({"SET", "k", "v", "EX", "10", "PX", "10000"}), syntax);
  EXPECT_EQ(Run({"SET", "k", "v", "KEEPTTL", "EX", "10"}), syntax);
  EXPECT_EQ(Run({"SET", "k", "v", "EX"}), syntax);
  EXPECT_EQ(Run({"SET", "k", "v", "BOGUS"}), syntax);
  EXPECT_EQ(Run({"SET", "k", "v", "EX", "ten"}),
            Error("ERR value is not an integer or out of range"));
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
}

TEST_F(StringSetTest, SetRejectsNonPositiveExpireTimes) {
  const Reply invalid = Error("ERR invalid expire time in 'set' command");
  EXPECT_EQ(Run({"SET", "k", "v", "EX", "0"}), invalid);
  EXPECT_EQ(Run({"SET", "k", "v", "PX", "-1"}), invalid);
  EXPECT_EQ(Run({"SET", "k", "v", "EXAT", "0"}), invalid);
  EXPECT_EQ(Run({"SET", "k", "v", "EX", "9223372036854775807"}), invalid);
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
}

TEST_F(StringSetTest, GetSetSwapsAndClearsTtl) {
  EXPECT_EQ(Run({"GETSET", "k", "v1"}), Nil());
  ASSERT_EQ(Run({"EXPIRE", "k", "100"}), Int(1));
  EXPECT_EQ(Run({"GETSET", "k", "v2"}), Bulk("v1"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v2"));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
}

TEST_F(StringSetTest, GetDelReturnsAndRemoves) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"GETDEL", "k"}), Bulk("v"));
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
  EXPECT_EQ(Run({"GETDEL", "k"}), Nil());
}

TEST_F(StringSetTest, GetExReadsAndAdjustsTtl) {
  EXPECT_EQ(Run({"GETEX", "missing", "EX", "10"}), Nil());
  EXPECT_EQ(Run({"EXISTS", "missing"}), Int(0));
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"GETEX", "k"}), Bulk("v"));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
  EXPECT_EQ(Run({"GETEX", "k", "EX", "100"}), Bulk("v"));
  Reply ttl = Run({"TTL", "k"});
  EXPECT_TRUE(ttl.integer >= 99 && ttl.integer <= 100) << ttl.ToString();
  EXPECT_EQ(Run({"GETEX", "k", "PERSIST"}), Bulk("v"));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
  EXPECT_EQ(Run({"GETEX", "k", "PX", "100000"}), Bulk("v"));
  Reply pttl = Run({"PTTL", "k"});
  EXPECT_TRUE(pttl.integer > 99000 && pttl.integer <= 100000) << pttl.ToString();
  const long long at = UnixSecondsNow() + 1000;
  EXPECT_EQ(Run({"GETEX", "k", "EXAT", std::to_string(at)}), Bulk("v"));
  EXPECT_EQ(Run({"EXPIRETIME", "k"}), Int(at));
  EXPECT_EQ(Run({"GETEX", "k", "PXAT", std::to_string(at * 1000 + 7)}), Bulk("v"));
  EXPECT_EQ(Run({"PEXPIRETIME", "k"}), Int(at * 1000 + 7));
}

TEST_F(StringSetTest, GetExRejectsBadOptions) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"GETEX", "k", "PERSIST", "EX", "10"}), Error("ERR syntax error"));
  EXPECT_EQ(Run({"GETEX", "k", "EX", "0"}), Error("ERR invalid expire time in 'getex' command"));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
}

TEST_F(StringSetTest, SetNxCommandReportsWhetherItSet) {
  EXPECT_EQ(Run({"SETNX", "k", "v1"}), Int(1));
  EXPECT_EQ(Run({"SETNX", "k", "v2"}), Int(0));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("v1"));
}

TEST_F(StringSetTest, SetExAndPSetExSetValueWithTtl) {
  EXPECT_EQ(Run({"SETEX", "a", "100", "v"}), Status("OK"));
  EXPECT_EQ(Run({"GET", "a"}), Bulk("v"));
  Reply ttl = Run({"TTL", "a"});
  EXPECT_TRUE(ttl.integer >= 99 && ttl.integer <= 100) << ttl.ToString();
  EXPECT_EQ(Run({"PSETEX", "b", "100000", "v"}), Status("OK"));
  Reply pttl = Run({"PTTL", "b"});
  EXPECT_TRUE(pttl.integer > 99000 && pttl.integer <= 100000) << pttl.ToString();
}

TEST_F(StringSetTest, SetExAndPSetExRejectBadTimes) {
  EXPECT_EQ(Run({"SETEX", "k", "0", "v"}), Error("ERR invalid expire time in 'setex' command"));
  EXPECT_EQ(Run({"PSETEX", "k", "-5", "v"}), Error("ERR invalid expire time in 'psetex' command"));
  EXPECT_EQ(Run({"SETEX", "k", "abc", "v"}), Error("ERR value is not an integer or out of range"));
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
}

}  // namespace
}  // namespace ember::test
