// `redis-cli monitor` (Debian's redis-tools 7.0) against ember-server: the monitor prints
// every command other clients run, one line each, in Redis's format — the same lines a
// redis-server 7.0 monitor prints, compared after removing timestamps and client ports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/compat/client_process.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

// A shell script: starts `redis-cli monitor`, waits until the server lists it as a monitor,
// runs a few commands with other redis-cli processes, gives the monitor time to print, and
// stops it. Every wait is bounded.
std::string MonitorScript(int port) {
  const std::string cli = "redis-cli -h 127.0.0.1 -p " + std::to_string(port);
  return cli + " monitor & monitor=$!\n" + "for i in $(seq 200); do " + cli +
         " client list | grep -q 'flags=O' && break; sleep 0.05; done\n" + cli +
         " set greeting 'hello world' >/dev/null\n" + cli + " -n 3 get greeting >/dev/null\n" +
         cli + " eval \"return redis.call('incr', KEYS[1])\" 1 counter >/dev/null\n" + cli +
         " auth secret >/dev/null 2>&1\n" + cli + " config get maxmemory >/dev/null\n" + cli +
         " ping >/dev/null\n"
         "sleep 1\n"
         "kill $monitor; wait $monitor 2>/dev/null; exit 0\n";
}

// The monitor's output with each line's timestamp and client port replaced.
std::vector<std::string> NormalizedLines(const std::string& out) {
  static const std::regex kLine(R"(^\d{10}\.\d{6} \[(\d+) (127\.0\.0\.1:\d+|lua)\] (.*)$)");
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kLine)) {
      const std::string source = match[2] == "lua" ? "lua" : "client";
      lines.push_back("[" + match[1].str() + " " + source + "] " + match[3].str());
    } else {
      lines.push_back("unexpected: " + line);
    }
  }
  return lines;
}

std::vector<std::string> MonitorLinesFrom(const ServerProcess& server) {
  ClientRun run;
  run.argv = {"sh", "-c", MonitorScript(server.port())};
  run.timeout = std::chrono::seconds(60);
  const ClientResult result = RunClient(run);
  EXPECT_FALSE(result.timed_out) << result.Describe();
  EXPECT_EQ(result.exit_code, 0) << result.Describe();
  return NormalizedLines(result.out);
}

TEST(RedisCliMonitorTest, PrintsWhatRedisPrints) {
  ASSERT_TRUE(HaveProgram("redis-cli"))
      << "redis-cli is not installed: run tools/test or apt-get install redis-tools";
  ServerProcess ember = ServerProcess::StartEmber();
  ASSERT_TRUE(ember.running()) << "ember-server did not start";
  ServerProcess reference = ServerProcess::StartReference();
  ASSERT_TRUE(reference.running()) << "redis-server did not start: run tools/test";

  const std::vector<std::string> ember_lines = MonitorLinesFrom(ember);
  // The client list polls and the "OK" redis-cli prints first vary with timing: compare
  // from the first command of the script.
  auto from_set = [](std::vector<std::string> lines) {
    auto first = std::find_if(lines.begin(), lines.end(), [](const std::string& line) {
      return line.find("\"set\" \"greeting\"") != std::string::npos;
    });
    lines.erase(lines.begin(), first);
    std::erase_if(lines, [](const std::string& line) {
      return line.find("\"client\" \"list\"") != std::string::npos;
    });
    return lines;
  };
  const std::vector<std::string> expected = {
      R"x([0 client] "set" "greeting" "hello world")x",
      R"x([3 client] "SELECT" "3")x",
      R"x([3 client] "get" "greeting")x",
      R"x([0 client] "eval" "return redis.call('incr', KEYS[1])" "1" "counter")x",
      R"x([0 lua] "incr" "counter")x",
      R"x([0 client] "auth" "(redacted)")x",
      R"x([0 client] "ping")x",
  };
  EXPECT_EQ(from_set(ember_lines), expected);
  EXPECT_EQ(from_set(MonitorLinesFrom(reference)), expected);
}

}  // namespace
}  // namespace ember::test
