// TTL commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX, XX, GT, LT), TTL, PTTL,
// EXPIRETIME, PEXPIRETIME, PERSIST.
#include <chrono>
#include <string>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using ExpireCommandsTest = ServerTest;

long long UnixSecondsNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_F(ExpireCommandsTest, TtlOfMissingAndPersistentKeys) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"TTL", "missing"}), Int(-2));
  EXPECT_EQ(Run({"PTTL", "missing"}), Int(-2));
  EXPECT_EQ(Run({"EXPIRETIME", "missing"}), Int(-2));
  EXPECT_EQ(Run({"PEXPIRETIME", "missing"}), Int(-2));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
  EXPECT_EQ(Run({"PTTL", "k"}), Int(-1));
  EXPECT_EQ(Run({"EXPIRETIME", "k"}), Int(-1));
  EXPECT_EQ(Run({"PEXPIRETIME", "k"}), Int(-1));
}

TEST_F(ExpireCommandsTest, ExpireAndPExpireSetRelativeTtl) {
  ASSERT_EQ(Run({"MSET", "a", "1", "b", "2"}), Status("OK"));
  EXPECT_EQ(Run({"EXPIRE", "a", "100"}), Int(1));
  Reply ttl = Run({"TTL", "a"});
  EXPECT_TRUE(ttl.integer >= 99 && ttl.integer <= 100) << ttl.ToString();
  EXPECT_EQ(Run({"PEXPIRE", "b", "100000"}), Int(1));
  Reply pttl = Run({"PTTL", "b"});
  EXPECT_TRUE(pttl.integer > 99000 && pttl.integer <= 100000) << pttl.ToString();
  EXPECT_EQ(Run({"EXPIRE", "missing", "100"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "missing"}), Int(0));
}

TEST_F(ExpireCommandsTest, ExpireAtAndPExpireAtSetAbsoluteTime) {
  ASSERT_EQ(Run({"MSET", "a", "1", "b", "2"}), Status("OK"));
  const long long at = UnixSecondsNow() + 1000;
  EXPECT_EQ(Run({"EXPIREAT", "a", std::to_string(at)}), Int(1));
  EXPECT_EQ(Run({"EXPIRETIME", "a"}), Int(at));
  EXPECT_EQ(Run({"PEXPIRETIME", "a"}), Int(at * 1000));
  EXPECT_EQ(Run({"PEXPIREAT", "b", std::to_string(at * 1000 + 999)}), Int(1));
  EXPECT_EQ(Run({"PEXPIRETIME", "b"}), Int(at * 1000 + 999));
  // EXPIRETIME rounds to the nearest second, as Redis does.
  EXPECT_EQ(Run({"EXPIRETIME", "b"}), Int(at + 1));
}

TEST_F(ExpireCommandsTest, ExpiryInThePastDeletesKey) {
  ASSERT_EQ(Run({"MSET", "a", "1", "b", "2", "c", "3", "d", "4"}), Status("OK"));
  EXPECT_EQ(Run({"EXPIRE", "a", "0"}), Int(1));
  EXPECT_EQ(Run({"PEXPIRE", "b", "-100"}), Int(1));
  EXPECT_EQ(Run({"EXPIREAT", "c", "1"}), Int(1));
  EXPECT_EQ(Run({"PEXPIREAT", "d", "1"}), Int(1));
  EXPECT_EQ(Run({"EXISTS", "a", "b", "c", "d"}), Int(0));
  EXPECT_EQ(Run({"DBSIZE"}), Int(0));
}

TEST_F(ExpireCommandsTest, NxOnlySetsWhenNoTtl) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "NX"}), Int(1));
  EXPECT_EQ(Run({"EXPIRE", "k", "500", "NX"}), Int(0));
  EXPECT_LE(Run({"TTL", "k"}).integer, 100);
}

TEST_F(ExpireCommandsTest, XxOnlySetsWhenTtlExists) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "XX"}), Int(0));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
  ASSERT_EQ(Run({"EXPIRE", "k", "100"}), Int(1));
  EXPECT_EQ(Run({"EXPIRE", "k", "500", "xx"}), Int(1));
  EXPECT_GT(Run({"TTL", "k"}).integer, 400);
}

TEST_F(ExpireCommandsTest, GtOnlyExtends) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  // A key without TTL counts as an infinite TTL, so GT never applies to it.
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "GT"}), Int(0));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
  ASSERT_EQ(Run({"EXPIRE", "k", "100"}), Int(1));
  EXPECT_EQ(Run({"EXPIRE", "k", "50", "GT"}), Int(0));
  EXPECT_EQ(Run({"EXPIRE", "k", "0", "GT"}), Int(0));
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(1));
  EXPECT_EQ(Run({"PEXPIRE", "k", "500000", "GT"}), Int(1));
  EXPECT_GT(Run({"TTL", "k"}).integer, 400);
}

TEST_F(ExpireCommandsTest, LtOnlyShortens) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"EXPIRE", "k", "500", "LT"}), Int(1));
  EXPECT_EQ(Run({"EXPIRE", "k", "1000", "LT"}), Int(0));
  EXPECT_LE(Run({"TTL", "k"}).integer, 500);
  const long long at = UnixSecondsNow() + 100;
  EXPECT_EQ(Run({"EXPIREAT", "k", std::to_string(at), "LT"}), Int(1));
  EXPECT_EQ(Run({"EXPIRETIME", "k"}), Int(at));
}

TEST_F(ExpireCommandsTest, IncompatibleOptionsAreRejected) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "NX", "XX"}),
            Error("ERR NX and XX, GT or LT options at the same time are not compatible"));
  EXPECT_EQ(Run({"PEXPIRE", "k", "100", "NX", "GT"}),
            Error("ERR NX and XX, GT or LT options at the same time are not compatible"));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "GT", "LT"}),
            Error("ERR GT and LT options at the same time are not compatible"));
  EXPECT_EQ(Run({"EXPIRE", "k", "100", "bogus"}), Error("ERR Unsupported option bogus"));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
}

TEST_F(ExpireCommandsTest, BadTimesAreRejected) {
  ASSERT_EQ(Run({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(Run({"EXPIRE", "k", "abc"}), Error("ERR value is not an integer or out of range"));
  EXPECT_EQ(Run({"EXPIRE", "k", "9223372036854775807"}),
            Error("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(Run({"PEXPIRE", "k", "9223372036854775807"}),
            Error("ERR invalid expire time in 'pexpire' command"));
  EXPECT_EQ(Run({"EXPIREAT", "k", "9223372036854775807"}),
            Error("ERR invalid expire time in 'expireat' command"));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
}

TEST_F(ExpireCommandsTest, PersistRemovesTtl) {
  ASSERT_EQ(Run({"SET", "k", "v", "EX", "100"}), Status("OK"));
  EXPECT_EQ(Run({"PERSIST", "k"}), Int(1));
  EXPECT_EQ(Run({"TTL", "k"}), Int(-1));
  EXPECT_EQ(Run({"PERSIST", "k"}), Int(0));
  EXPECT_EQ(Run({"PERSIST", "missing"}), Int(0));
}

}  // namespace
}  // namespace ember::test
