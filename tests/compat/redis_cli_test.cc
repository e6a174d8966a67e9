// redis-cli (Debian's redis-tools 7.0) against a fresh ember-server per test: one-shot
// commands in raw and human formats, -n, -x, commands read from stdin, --pipe mass insertion,
// --scan, --latency, --bigkeys/--memkeys and RESP3 (-3). Each expectation is what redis-cli
// prints against redis-server 7.0.15. (The interactive mode's hints are tested elsewhere.)
//
// redis-cli picks raw output when stdout is not a terminal, as here; tests that check the
// human format pass --no-raw.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/compat/client_process.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string RespCommand(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& arg : args) out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  return out;
}

class RedisCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(HaveProgram("redis-cli"))
        << "redis-cli is not installed: run tools/test or apt-get install redis-tools";
    server_.emplace(ServerProcess::StartEmber());
    ASSERT_TRUE(server_->running()) << "ember-server did not start";
  }

  // Runs redis-cli against the server with `args`; fails the test on a timeout or an exit
  // status other than `expected_exit`.
  ClientResult Cli(std::vector<std::string> args, std::string stdin_data = "",
                   int expected_exit = 0) {
    ClientRun run;
    run.argv = {"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(server_->port())};
    run.argv.insert(run.argv.end(), args.begin(), args.end());
    run.stdin_data = std::move(stdin_data);
    run.timeout = std::chrono::seconds(60);
    ClientResult result = RunClient(run);
    EXPECT_FALSE(result.timed_out) << result.Describe();
    EXPECT_EQ(result.exit_code, expected_exit) << result.Describe();
    return result;
  }

  // The stdout of a one-shot command.
  std::string Out(std::vector<std::string> args) { return Cli(std::move(args)).out; }

  // Loads `count` keys "<prefix><i>" = "v<i>" through --pipe.
  void LoadKeys(const std::string& prefix, int count) {
    std::string input;
    for (int i = 0; i < count; ++i) {
      input += RespCommand({"SET", prefix + std::to_string(i), "v" + std::to_string(i)});
    }
    ClientResult result = Cli({"--pipe"}, input);
    ASSERT_THAT(result.out, HasSubstr("errors: 0, replies: " + std::to_string(count)))
        << result.Describe();
  }

  std::optional<ServerProcess> server_;
};

TEST_F(RedisCliTest, OneShotCommandsPrintRawAndHumanReplies) {
  EXPECT_EQ(Out({"SET", "k", "v"}), "OK\n");
  EXPECT_EQ(Out({"GET", "k"}), "v\n");
  EXPECT_EQ(Out({"--no-raw", "GET", "k"}), "\"v\"\n");
  EXPECT_EQ(Out({"--no-raw", "INCR", "counter"}), "(integer) 1\n");
  EXPECT_EQ(Out({"--raw", "INCR", "counter"}), "2\n");
  EXPECT_EQ(Out({"--no-raw", "GET", "missing"}), "(nil)\n");
  EXPECT_EQ(Out({"--no-raw", "MGET", "k", "missing"}), "1) \"v\"\n2) (nil)\n");
  EXPECT_EQ(Out({"--no-raw", "SET", "k"}),
            "(error) ERR wrong number of arguments for 'set' command\n");
  EXPECT_EQ(Out({"--no-raw", "DBSIZE"}), "(integer) 2\n");
}

TEST_F(RedisCliTest, CsvJsonAndQuotedInputFormats) {
  ASSERT_EQ(Out({"MSET", "a", "1", "b", "x y"}), "OK\n");
  EXPECT_EQ(Out({"--csv", "MGET", "a", "b", "missing"}), "\"1\",\"x y\",NULL\n");
  EXPECT_EQ(Out({"--json", "MGET", "a", "b", "missing"}), "[\"1\",\"x y\",null]\n");
  EXPECT_THAT(Out({"--json", "HELLO", "3"}),
              MatchesRegex("\\{\"server\":\"[^\"]+\",\"version\":\"[^\"]+\",\"proto\":3,\"id\":"
                           "[0-9]+,\"mode\":\"standalone\",\"role\":\"master\",\"modules\":\\[\\]"
                           "\\}\n"));
  EXPECT_EQ(Out({"--quoted-input", "SET", "q", "\"two\\nlines\""}), "OK\n");
  EXPECT_EQ(Out({"STRLEN", "q"}), "9\n");
}

TEST_F(RedisCliTest, DashEExitsNonZeroOnAnErrorReply) {
  ClientResult result = Cli({"-e", "GET"}, "", /*expected_exit=*/1);
  EXPECT_EQ(result.err, "ERR wrong number of arguments for 'get' command\n");
  EXPECT_EQ(Out({"-e", "PING"}), "PONG\n");
}

TEST_F(RedisCliTest, PasswordOptionsAuthenticate) {
  ASSERT_EQ(Out({"CONFIG", "SET", "requirepass", "s3cret"}), "OK\n");
  EXPECT_THAT(Out({"PING"}), HasSubstr("NOAUTH Authentication required."));
  ClientResult with_password = Cli({"-a", "s3cret", "PING"});
  EXPECT_EQ(with_password.out, "PONG\n");
  EXPECT_THAT(with_password.err, HasSubstr("Warning: Using a password"));
  EXPECT_EQ(Out({"--no-auth-warning", "--user", "default", "--pass", "s3cret", "GET", "k"}), "\n");
  ClientResult wrong = Cli({"--no-auth-warning", "-a", "wrong", "PING"});
  EXPECT_THAT(wrong.err,
              HasSubstr("AUTH failed: WRONGPASS invalid username-password pair or user is "
                        "disabled."));
  EXPECT_EQ(Out({"--no-auth-warning", "-a", "s3cret", "CONFIG", "SET", "requirepass", ""}), "OK\n");
  EXPECT_EQ(Out({"PING"}), "PONG\n");
}

TEST_F(RedisCliTest, DashNSelectsTheDatabase) {
  EXPECT_EQ(Out({"-n", "3", "SET", "k", "in-3"}), "OK\n");
  EXPECT_EQ(Out({"-n", "3", "GET", "k"}), "in-3\n");
  EXPECT_EQ(Out({"-n", "3", "DBSIZE"}), "1\n");
  EXPECT_EQ(Out({"-n", "0", "EXISTS", "k"}), "0\n");
  EXPECT_THAT(Out({"INFO", "keyspace"}), HasSubstr("db3:keys=1,expires=0"));
}

TEST_F(RedisCliTest, DashXReadsTheLastArgumentFromStdin) {
  EXPECT_EQ(Cli({"-x", "SET", "from-stdin"}, "line1\nline2\n").out, "OK\n");
  EXPECT_EQ(Out({"STRLEN", "from-stdin"}), "12\n");
  EXPECT_EQ(Out({"GET", "from-stdin"}), "line1\nline2\n\n");
}

TEST_F(RedisCliTest, CommandsReadFromStdinRunInOrder) {
  EXPECT_EQ(Cli({}, "SET a 1\nINCR a\nINCRBY a 40\nGET a\n").out, "OK\n2\n42\n42\n");
  EXPECT_EQ(Out({"-r", "3", "INCR", "repeated"}), "1\n2\n3\n");
}

TEST_F(RedisCliTest, PipeMassInsertsOneHundredThousandKeys) {
  constexpr int kKeys = 100000;
  std::string input;
  input.reserve(kKeys * 40);
  for (int i = 0; i < kKeys; ++i) {
    input += RespCommand({"SET", "key:" + std::to_string(i), "value:" + std::to_string(i)});
  }
  ClientResult result = Cli({"--pipe"}, input);
  EXPECT_THAT(result.out, HasSubstr("All data transferred"));
  EXPECT_THAT(result.out, HasSubstr("errors: 0, replies: 100000")) << result.Describe();
  EXPECT_EQ(Out({"DBSIZE"}), "100000\n");
  EXPECT_EQ(Out({"GET", "key:0"}), "value:0\n");
  EXPECT_EQ(Out({"GET", "key:99999"}), "value:99999\n");
}

TEST_F(RedisCliTest, PipeCountsErrorReplies) {
  std::string input = RespCommand({"SET", "text", "abc"}) + RespCommand({"INCR", "text"}) +
                      RespCommand({"INCR", "n"});
  // --pipe prints each error reply on stderr and exits 1 when any command failed.
  ClientResult result = Cli({"--pipe"}, input, /*expected_exit=*/1);
  EXPECT_THAT(result.out, HasSubstr("errors: 1, replies: 3")) << result.Describe();
  EXPECT_EQ(result.err, "ERR value is not an integer or out of range\n");
  EXPECT_EQ(Out({"GET", "n"}), "1\n");
}

TEST_F(RedisCliTest, ScanWithPatternListsExactlyTheMatchingKeys) {
  LoadKeys("user:", 1000);
  LoadKeys("other:", 200);
  std::vector<std::string> found = Lines(Cli({"--scan", "--pattern", "user:*"}).out);
  std::sort(found.begin(), found.end());
  std::vector<std::string> expected;
  for (int i = 0; i < 1000; ++i) expected.push_back("user:" + std::to_string(i));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(found, expected);
  EXPECT_EQ(Lines(Cli({"--scan"}).out).size(), 1200u);
  std::vector<std::string> none = Lines(Cli({"--scan", "--pattern", "nobody:*"}).out);
  EXPECT_TRUE(none.empty());
}

// With output to a pipe, --latency samples for one interval (-i seconds), prints
// "min max avg samples" and exits; --csv prints the same comma-separated.
TEST_F(RedisCliTest, LatencyPrintsOneBoundedSampleLine) {
  for (const auto& [flag, separator] : {std::pair{"--raw", " "}, std::pair{"--csv", ","}}) {
    ClientResult result = Cli({"--latency", flag, "-i", "0.5"});
    std::vector<std::string> lines = Lines(result.out);
    ASSERT_EQ(lines.size(), 1u) << result.Describe();
    const std::string sep = separator;
    ASSERT_THAT(lines[0],
                MatchesRegex("[0-9]+" + sep + "[0-9]+" + sep + "[0-9]+\\.[0-9]+" + sep + "[0-9]+"));
    std::string spaced = lines[0];
    std::replace(spaced.begin(), spaced.end(), ',', ' ');
    std::istringstream fields(spaced);
    long min_ms = -1;
    long max_ms = -1;
    double avg_ms = -1;
    long samples = 0;
    fields >> min_ms >> max_ms >> avg_ms >> samples;
    EXPECT_LE(min_ms, max_ms);
    EXPECT_LE(static_cast<double>(min_ms), avg_ms);
    EXPECT_LE(avg_ms, static_cast<double>(max_ms));
    EXPECT_GT(samples, 0);
  }
}

TEST_F(RedisCliTest, Resp3RepliesUseMapsAndNulls) {
  std::string version;
  for (const auto& line : Lines(Out({"INFO", "server"}))) {
    if (line.rfind("redis_version:", 0) == 0) version = line.substr(14);
  }
  if (!version.empty() && version.back() == '\r') version.pop_back();
  ASSERT_FALSE(version.empty());

  std::vector<std::string> hello = Lines(Out({"-3", "--no-raw", "HELLO", "3"}));
  ASSERT_EQ(hello.size(), 7u) << Out({"-3", "--no-raw", "HELLO", "3"});
  EXPECT_THAT(hello[0], MatchesRegex("1# \"server\" => \".+\""));
  EXPECT_EQ(hello[1], "2# \"version\" => \"" + version + "\"");
  EXPECT_EQ(hello[2], "3# \"proto\" => (integer) 3");
  EXPECT_THAT(hello[3], MatchesRegex("4# \"id\" => \\(integer\\) [0-9]+"));
  EXPECT_EQ(hello[4], "5# \"mode\" => \"standalone\"");
  EXPECT_EQ(hello[5], "6# \"role\" => \"master\"");
  EXPECT_EQ(hello[6], "7# \"modules\" => (empty array)");

  EXPECT_EQ(Out({"-3", "--no-raw", "GET", "missing"}), "(nil)\n");
  EXPECT_EQ(Out({"-3", "--no-raw", "SET", "k", "v"}), "OK\n");
  EXPECT_EQ(Out({"-3", "--no-raw", "MGET", "k", "missing"}), "1) \"v\"\n2) (nil)\n");
  EXPECT_EQ(Out({"-3", "--no-raw", "CONFIG", "GET", "maxmemory"}), "1# \"maxmemory\" => \"0\"\n");
  EXPECT_EQ(Out({"--no-raw", "CONFIG", "GET", "maxmemory"}), "1) \"maxmemory\"\n2) \"0\"\n");
  EXPECT_THAT(Out({"-3", "CLIENT", "INFO"}), HasSubstr(" resp=3"));
}

TEST_F(RedisCliTest, BigkeysSummarizesStringKeys) {
  ASSERT_EQ(Out({"MSET", "small", "abc", "large", "abcdefgh", "one", "1"}), "OK\n");
  std::string out = Cli({"--bigkeys"}).out;
  EXPECT_THAT(out, HasSubstr("Sampled 3 keys in the keyspace!")) << out;
  EXPECT_THAT(out, HasSubstr("Biggest string found '\"large\"' has 8 bytes")) << out;
  EXPECT_THAT(out, HasSubstr("3 strings with 12 bytes (100.00% of keys, avg size 4.00)")) << out;
  EXPECT_THAT(out, HasSubstr("0 lists with 0 items (00.00% of keys, avg size 0.00)")) << out;
}

TEST_F(RedisCliTest, MemkeysSummarizesMemoryUsage) {
  ASSERT_EQ(Out({"MSET", "small", "abc", "large", std::string(1000, 'x')}), "OK\n");
  std::string out = Cli({"--memkeys"}).out;
  EXPECT_THAT(out, HasSubstr("Sampled 2 keys in the keyspace!")) << out;
  EXPECT_THAT(out, HasSubstr("Biggest string found '\"large\"' has ")) << out;
  EXPECT_TRUE(
      std::regex_search(out, std::regex("\n2 strings with [0-9]+ bytes \\(100\\.00% of keys")))
      << out;
}

}  // namespace
}  // namespace ember::test
