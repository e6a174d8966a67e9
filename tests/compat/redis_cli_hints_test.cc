// redis-cli 7 builds its typing hints from COMMAND DOCS: with the argument structure
// complete, typing `SET ` in interactive redis-cli shows Redis's own hint text. The test
// drives a real interactive redis-cli inside a detached tmux session against Ember.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "tests/support/server_process.h"

namespace ember::test {
namespace {

// Runs a shell command; returns its standard output.
std::string Shell(const std::string& command) {
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    std::array<char, 4096> buffer;
    size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
    pclose(pipe);
  }
  return out;
}

class RedisCliHintsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(std::system("command -v tmux >/dev/null 2>&1"), 0)
        << "tmux is missing: install it (apt-get install tmux, or run tools/test)";
    ASSERT_EQ(std::system("command -v redis-cli >/dev/null 2>&1"), 0)
        << "redis-cli is missing: apt-get install redis-tools, or run tools/test";
    session_ = "ember-hints-" + std::to_string(getpid());
  }
  void TearDown() override { Shell("tmux kill-session -t " + session_ + " 2>/dev/null"); }

  // Types `text` into an interactive redis-cli connected to `port` and returns the first
  // screen line once it shows more than the prompt and the text (bounded wait).
  std::string TypeAndCapture(int port, const std::string& text) {
    Shell("tmux new-session -d -s " + session_ + " -x 220 -y 10 'redis-cli -p " +
          std::to_string(port) + "'");
    std::string line;
    for (int attempt = 0; attempt < 50; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      line = Shell("tmux capture-pane -p -t " + session_ + " | head -1");
      if (line.find('>') != std::string::npos) break;
    }
    Shell("tmux send-keys -t " + session_ + " '" + text + "'");
    for (int attempt = 0; attempt < 50; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      line = Shell("tmux capture-pane -p -t " + session_ + " | head -1");
      if (line.find(text + "key") != std::string::npos ||
          line.find(text + "parameter") != std::string::npos) {
        break;
      }
    }
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
    return line;
  }

  std::string session_;
};

TEST_F(RedisCliHintsTest, SetShowsRedisHint) {
  ServerProcess server = ServerProcess::StartEmber();
  const std::string prompt = "127.0.0.1:" + std::to_string(server.port()) + "> ";
  EXPECT_EQ(TypeAndCapture(server.port(), "SET "),
            prompt +
                "SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|"
                "PXAT unix-time-milliseconds|KEEPTTL]");
}

TEST_F(RedisCliHintsTest, SubcommandHintComesFromItsDocs) {
  ServerProcess server = ServerProcess::StartEmber();
  const std::string prompt = "127.0.0.1:" + std::to_string(server.port()) + "> ";
  EXPECT_EQ(TypeAndCapture(server.port(), "CONFIG GET "),
            prompt + "CONFIG GET parameter [parameter ...]");
}

}  // namespace
}  // namespace ember::test
