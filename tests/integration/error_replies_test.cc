// Error texts clients parse: arity, unknown command, not an integer, overflow, syntax and
// invalid expire time. Each must match Redis 7.0 byte for byte.
#include <string>
#include <vector>

#include "tests/support/server_fixture.h"

namespace ember::test {
namespace {

using ErrorRepliesTest = ServerTest;

TEST_F(ErrorRepliesTest, WrongArityNamesTheCommandInLowerCase) {
  const std::vector<std::vector<std::string>> cases = {
      {"GET"},
      {"get", "a", "b"},
      {"Set", "k"},
      {"MGET"},
      {"DEL"},
      {"EXPIRE", "k"},
      {"TTL"},
      {"INCRBY", "k"},
      {"GETRANGE", "k", "0"},
      {"SCAN"},
      {"DBSIZE", "x"},
      {"RENAME", "a"},
      {"SETEX", "k", "10"},
  };
  for (const auto& args : cases) {
    std::string name = args[0];
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(Run(args), Error("ERR wrong number of arguments for '" + name + "' command"))
        << args[0];
  }
}

TEST_F(ErrorRepliesTest, UnknownCommandQuotesNameAndFirstArguments) {
  EXPECT_EQ(Run({"foo", "a"}), Error("ERR unknown command 'foo', with args beginning with: 'a' "));
  EXPECT_EQ(Run({"FOO"}), Error("ERR unknown command 'FOO', with args beginning with: "));
  EXPECT_EQ(Run({"foo", "a", "b c"}),
            Error("ERR unknown command 'foo', with args beginning with: 'a' 'b c' "));
}

TEST_F(ErrorRepliesTest, ConnectionSurvivesErrors) {
  EXPECT_EQ(Run({"foo"}).type, Reply::Type::kError);
  EXPECT_EQ(Run({"GET"}).type, Reply::Type::kError);
  EXPECT_EQ(Run({"PING"}), Status("PONG"));
}

TEST_F(ErrorRepliesTest, ValueErrorsHaveRedisTexts) {
  ASSERT_EQ(Run({"SET", "s", "text"}), Status("OK"));
  ASSERT_EQ(Run({"SET", "max", "9223372036854775807"}), Status("OK"));
  struct Case {
    std::vector<std::string> args;
    std::string error;
  };
  const std::vector<Case> cases = {
      {{"INCR", "s"}, "ERR value is not an integer or out of range"},
      {{"EXPIRE", "s", "soon"}, "ERR value is not an integer or out of range"},
      {{"INCR", "max"}, "ERR increment or decrement would overflow"},
      {{"INCRBY", "max", "1"}, "ERR increment or decrement would overflow"},
      {{"SET", "k", "v", "NX", "XX"}, "ERR syntax error"},
      {{"SET", "k", "v", "EX", "0"}, "ERR invalid expire time in 'set' command"},
      {{"SETEX", "k", "-1", "v"}, "ERR invalid expire time in 'setex' command"},
      {{"GETEX", "s", "PX", "0"}, "ERR invalid expire time in 'getex' command"},
      {{"INCRBYFLOAT", "s", "1"}, "ERR value is not a valid float"},
  };
  for (const auto& c : cases) EXPECT_EQ(Run(c.args), Error(c.error)) << c.args[0];
}

// Ember-only: a negative count picks with repeats, so its size is the reply's length; past
// 2^20 it is refused rather than building a reply without end (Redis 7.0 would try).
TEST_F(ErrorRepliesTest, RandomPicksWithRepeatsAreBounded) {
  ASSERT_EQ(Run({"HSET", "rand:h", "a", "1", "b", "2"}), Int(2));
  ASSERT_EQ(Run({"SADD", "rand:s", "x", "y"}), Int(2));
  const Reply refused = Error("ERR value is out of range, a negative count must be >= -1048576");
  EXPECT_EQ(Run({"HRANDFIELD", "rand:h", "-9223372036854775807"}), refused);
  EXPECT_EQ(Run({"HRANDFIELD", "rand:h", "-1048577", "WITHVALUES"}), refused);
  EXPECT_EQ(Run({"SRANDMEMBER", "rand:s", "-1048577"}), refused);
  // The bound itself is served, and a missing key or a wrong type answers as Redis does.
  EXPECT_EQ(Run({"SRANDMEMBER", "rand:s", "-1048576"}).elements.size(), 1048576u);
  EXPECT_EQ(Run({"HRANDFIELD", "rand:none", "-9223372036854775807"}).elements.size(), 0u);
  EXPECT_EQ(Run({"SRANDMEMBER", "rand:h", "-9223372036854775807"}).type, Reply::Type::kError);
  EXPECT_EQ(Run({"SRANDMEMBER", "rand:h", "-9223372036854775807"}).str.rfind("WRONGTYPE", 0), 0u);
  EXPECT_EQ(Run({"PING"}), Status("PONG"));
}

}  // namespace
}  // namespace ember::test
