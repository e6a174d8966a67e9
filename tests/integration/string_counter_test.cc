// Counter commands on string values: INCR, DECR, INCRBY, DECRBY, INCRBYFLOAT.
#include <string>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using StringCounterTest = ServerTest;

const Reply kNotInteger = Error("ERR value is not an integer or out of range");

TEST_F(StringCounterTest, IncrAndDecrStartFromZero) {
  EXPECT_EQ(Run({"INCR", "a"}), Int(1));
  EXPECT_EQ(Run({"INCR", "a"}), Int(2));
  EXPECT_EQ(Run({"DECR", "b"}), Int(-1));
  EXPECT_EQ(Run({"GET", "a"}), Bulk("2"));
  EXPECT_EQ(Run({"GET", "b"}), Bulk("-1"));
}

TEST_F(StringCounterTest, IncrByAndDecrByApplyDelta) {
  ASSERT_EQ(Run({"SET", "k", "10"}), Status("OK"));
  EXPECT_EQ(Run({"INCRBY", "k", "5"}), Int(15));
  EXPECT_EQ(Run({"INCRBY", "k", "-20"}), Int(-5));
  EXPECT_EQ(Run({"DECRBY", "k", "5"}), Int(-10));
  EXPECT_EQ(Run({"DECRBY", "k", "-100"}), Int(90));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("90"));
}

TEST_F(StringCounterTest, IncrKeepsTtl) {
  ASSERT_EQ(Run({"SET", "k", "1", "EX", "100"}), Status("OK"));
  ASSERT_EQ(Run({"INCR", "k"}), Int(2));
  EXPECT_GT(Run({"TTL", "k"}).integer, 0);
}

TEST_F(StringCounterTest, NonIntegerValuesAreRejected) {
  for (const char* value : {"abc", "1.5", " 1", "1 ", "", "+1", "01x", "99999999999999999999"}) {
    ASSERT_EQ(Run({"SET", "k", value}), Status("OK"));
    EXPECT_EQ(Run({"INCR", "k"}), kNotInteger) << "value '" << value << "'";
    EXPECT_EQ(Run({"GET", "k"}), Bulk(value));
  }
}

TEST_F(StringCounterTest, NonIntegerIncrementIsRejected) {
  EXPECT_EQ(Run({"INCRBY", "k", "abc"}), kNotInteger);
  EXPECT_EQ(Run({"DECRBY", "k", "1.0"}), kNotInteger);
  EXPECT_EQ(Run({"INCRBY", "k", "9223372036854775808"}), kNotInteger);
  EXPECT_EQ(Run({"EXISTS", "k"}), Int(0));
}

TEST_F(StringCounterTest, LimitsAreReachableButNotExceeded) {
  ASSERT_EQ(Run({"SET", "k", "9223372036854775806"}), Status("OK"));
  EXPECT_EQ(Run({"INCR", "k"}), Int(9223372036854775807LL));
  EXPECT_EQ(Run({"INCR", "k"}), Error("ERR increment or decrement would overflow"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("9223372036854775807"));
  ASSERT_EQ(Run({"SET", "m", "-9223372036854775807"}), Status("OK"));
  EXPECT_EQ(Run({"DECR", "m"}), Int(-9223372036854775807LL - 1));
  EXPECT_EQ(Run({"DECR", "m"}), Error("ERR increment or decrement would overflow"));
  EXPECT_EQ(Run({"INCRBY", "m", "-1"}), Error("ERR increment or decrement would overflow"));
}

TEST_F(StringCounterTest, DecrByMinimumIsRejected) {
  ASSERT_EQ(Run({"SET", "k", "0"}), Status("OK"));
  EXPECT_EQ(Run({"DECRBY", "k", "-9223372036854775808"}), Error("ERR decrement would overflow"));
  EXPECT_EQ(Run({"GET", "k"}), Bulk("0"));
}

TEST_F(StringCounterTest, IncrByFloatFormatsLikeRedis) {
  ASSERT_EQ(Run({"SET", "k", "10.50"}), Status("OK"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "k", "0.1"}), Bulk("10.6"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "k", "-5"}), Bulk("5.6"));
  ASSERT_EQ(Run({"SET", "e", "5.0e3"}), Status("OK"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "e", "2.0e2"}), Bulk("5200"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "new", "3.0"}), Bulk("3"));
  EXPECT_EQ(Run({"GET", "new"}), Bulk("3"));
  ASSERT_EQ(Run({"SET", "big", "1.5e10"}), Status("OK"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "big", "0"}), Bulk("15000000000"));
}

TEST_F(StringCounterTest, IncrByFloatOnIntegerValue) {
  ASSERT_EQ(Run({"INCR", "k"}), Int(1));
  EXPECT_EQ(Run({"INCRBYFLOAT", "k", "1.5"}), Bulk("2.5"));
  EXPECT_EQ(Run({"INCR", "k"}), kNotInteger);
}

TEST_F(StringCounterTest, IncrByFloatRejectsBadInput) {
  const Reply not_float = Error("ERR value is not a valid float");
  ASSERT_EQ(Run({"SET", "k", "abc"}), Status("OK"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "k", "1"}), not_float);
  ASSERT_EQ(Run({"SET", "n", "1"}), Status("OK"));
  EXPECT_EQ(Run({"INCRBYFLOAT", "n", "abc"}), not_float);
  EXPECT_EQ(Run({"INCRBYFLOAT", "n", "inf"}), Error("ERR increment would produce NaN or Infinity"));
  EXPECT_EQ(Run({"GET", "n"}), Bulk("1"));
}

}  // namespace
}  // namespace ember::test
