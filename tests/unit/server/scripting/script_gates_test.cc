// In-process tests of what the dispatcher does around script commands, as Redis 7.0 does:
// a script's declared flags (shebang, register_function) decide the maxmemory gate, the
// CLIENT PAUSE WRITE hold and EXEC's gate for a queued script; an error a script passes on
// from a command it called is counted once in errorstats; the slow log shows the script
// and each command it ran, the latter from the script client "?:0". Expected values were
// read from redis-server 7.0.15.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "server/command/dispatcher.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

constexpr std::string_view kOom = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

class ScriptGatesTest : public ::testing::Test {
 protected:
  ScriptGatesTest() : state_(ServerConfig{}), dispatcher_(CommandTable::Default(), state_) {
    client_.id = 1;
    other_.id = 2;
    state_.RegisterClient(&client_);
    state_.RegisterClient(&other_);
  }
  ~ScriptGatesTest() override {
    state_.UnregisterClient(&other_);
    state_.UnregisterClient(&client_);
  }

  std::string Run(std::vector<std::string> args) {
    return RunCommand(dispatcher_, client_, args, now_ms_);
  }
  std::string RunOther(std::vector<std::string> args) {
    return RunCommand(dispatcher_, other_, args, now_ms_);
  }
  bool MustWait(std::vector<std::string_view> args) {
    return dispatcher_.MustWait(args, client_, now_ms_);
  }
  static bool Contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
  }

  ServerState state_;
  Dispatcher dispatcher_;
  ClientState client_;
  ClientState other_;
  int64_t now_ms_ = 1'700'000'000'000;
};

TEST_F(ScriptGatesTest, DeclaredFlagsDecideTheMemoryGate) {
  const std::string write_sha = Run({"script", "load", "#!lua\nreturn 1"}).substr(5, 40);
  ASSERT_EQ(Run({"function", "load",
                 "#!lua name=lib\n"
                 "redis.register_function('w', function() return 1 end)\n"
                 "redis.register_function{function_name='r', callback=function() return 2 end, "
                 "flags={'no-writes'}}"}),
            "$3\r\nlib\r\n");
  ASSERT_EQ(Run({"config", "set", "maxmemory", "1"}), "+OK\r\n");
  EXPECT_EQ(Run({"eval", "#!lua\nreturn 1", "0"}), kOom);
  EXPECT_EQ(Run({"evalsha", write_sha, "0"}), kOom);
  EXPECT_EQ(Run({"eval_ro", "#!lua\nreturn 1", "0"}), kOom);
  EXPECT_EQ(Run({"fcall", "w", "0"}), kOom);
  EXPECT_EQ(Run({"eval", "#!lua flags=allow-oom\nreturn 1", "0"}), ":1\r\n");
  EXPECT_EQ(Run({"eval", "#!lua flags=no-writes\nreturn 1", "0"}), ":1\r\n");
  EXPECT_EQ(Run({"fcall", "r", "0"}), ":2\r\n");
  // Without a shebang the script starts; only the writes it calls are refused.
  EXPECT_EQ(Run({"eval", "return 3", "0"}), ":3\r\n");
  EXPECT_TRUE(Run({"eval", "return redis.call('set', 'k', 'v')", "0"}).starts_with("-OOM "));
  // Unknown scripts and functions keep the row's flags and fail on their own errors.
  EXPECT_EQ(Run({"evalsha", std::string(40, 'f'), "0"}),
            "-NOSCRIPT No matching script. Please use EVAL.\r\n");
  EXPECT_EQ(Run({"fcall", "nosuch", "0"}), "-ERR Function not found\r\n");
}

TEST_F(ScriptGatesTest, ExecOfAQueuedWritingScriptIsRefusedOverMaxmemory) {
  for (const char* body : {"#!lua\nreturn 1", "#!lua flags=no-writes\nreturn 1"}) {
    ASSERT_EQ(Run({"multi"}), "+OK\r\n");
    ASSERT_EQ(Run({"eval", "#!lua flags=no-writes\nreturn 1", "0"}), "+QUEUED\r\n");
    ASSERT_EQ(Run({"eval", body, "0"}), "+QUEUED\r\n");
    ASSERT_EQ(RunOther({"config", "set", "maxmemory", "1"}), "+OK\r\n");
    const std::string reply = Run({"exec"});
    if (std::string_view(body).find("no-writes") == std::string_view::npos) {
      EXPECT_EQ(reply,
                "-EXECABORT Transaction discarded because of: OOM command not allowed when used "
                "memory > 'maxmemory'.\r\n");
    } else {
      EXPECT_EQ(reply, "*2\r\n:1\r\n:1\r\n");
    }
    ASSERT_EQ(RunOther({"config", "set", "maxmemory", "0"}), "+OK\r\n");
  }
}

TEST_F(ScriptGatesTest, PauseWriteHoldsOnlyScriptsThatMayWrite) {
  ASSERT_EQ(Run({"function", "load",
                 "#!lua name=lib\n"
                 "redis.register_function{function_name='r', callback=function() return 2 end, "
                 "flags={'no-writes'}}"}),
            "$3\r\nlib\r\n");
  ASSERT_EQ(RunOther({"client", "pause", "60000", "write"}), "+OK\r\n");
  EXPECT_TRUE(MustWait({"eval", "return 1", "0"}));  // may replicate: judged by its calls
  EXPECT_TRUE(MustWait({"eval", "#!lua\nreturn 1", "0"}));
  EXPECT_FALSE(MustWait({"eval", "#!lua flags=no-writes\nreturn 1", "0"}));
  EXPECT_FALSE(MustWait({"eval_ro", "return 1", "0"}));
  EXPECT_FALSE(MustWait({"fcall", "r", "0"}));
  EXPECT_TRUE(MustWait({"fcall", "nosuch", "0"}));
  ASSERT_EQ(RunOther({"client", "unpause"}), "+OK\r\n");
  EXPECT_FALSE(MustWait({"eval", "#!lua\nreturn 1", "0"}));
}

TEST_F(ScriptGatesTest, ErrorsPassedOnFromCommandsAreCountedOnce) {
  Run({"set", "s", "abc"});
  Run({"config", "resetstat"});
  EXPECT_TRUE(Run({"eval", "return redis.call('incr', 's')", "0"}).starts_with("-ERR value is"));
  EXPECT_EQ(Run({"eval", "return redis.pcall('incr', 's')", "0"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(Run({"eval", "return redis.error_reply('MY err')", "0"}), "-MY err\r\n");
  EXPECT_EQ(Run({"eval", "return {err = 'X y'}", "0"}), "-X y\r\n");
  EXPECT_EQ(Run({"eval", "local e = redis.pcall('incr', 's') return 1", "0"}), ":1\r\n");
  EXPECT_TRUE(Run({"eval", "error('boom')", "0"}).starts_with("-ERR user_script:1: boom"));
  const std::string errors = Run({"info", "errorstats"});
  EXPECT_TRUE(Contains(errors, "errorstat_ERR:count=4\r\n")) << errors;
  EXPECT_TRUE(Contains(errors, "errorstat_MY:count=1\r\n")) << errors;
  EXPECT_TRUE(Contains(errors, "errorstat_X:count=1\r\n")) << errors;
  EXPECT_TRUE(Contains(Run({"info", "stats"}), "total_error_replies:6\r\n"));
  const std::string commands = Run({"info", "commandstats"});
  EXPECT_TRUE(Contains(commands, "cmdstat_eval:calls=6,")) << commands;
  EXPECT_TRUE(Contains(commands, ",rejected_calls=0,failed_calls=5\r\n")) << commands;
  EXPECT_TRUE(Contains(commands, "cmdstat_incr:calls=3,")) << commands;
  EXPECT_TRUE(Contains(commands, ",rejected_calls=0,failed_calls=3\r\n")) << commands;
}

TEST_F(ScriptGatesTest, SlowlogShowsTheScriptAndTheCommandsItRan) {
  client_.address = "127.0.0.1:5000";
  Run({"config", "set", "slowlog-log-slower-than", "0"});
  Run({"slowlog", "reset"});
  Run({"eval", "redis.call('set', 'a', '1') return redis.call('get', 'a')", "0"});
  Run({"config", "set", "slowlog-log-slower-than", "10000"});
  const std::string log = Run({"slowlog", "get"});
  const size_t eval = log.find("$4\r\neval\r\n");
  const size_t get = log.find("$3\r\nget\r\n$1\r\na\r\n$3\r\n?:0\r\n");
  const size_t set = log.find("$3\r\nset\r\n$1\r\na\r\n$1\r\n1\r\n$3\r\n?:0\r\n");
  ASSERT_NE(eval, std::string::npos) << log;
  ASSERT_NE(get, std::string::npos) << log;
  ASSERT_NE(set, std::string::npos) << log;
  EXPECT_LT(eval, get);  // newest first: EVAL ends after the commands it ran
  EXPECT_LT(get, set);
  EXPECT_TRUE(Contains(log, "127.0.0.1:5000")) << log;
}

}  // namespace
}  // namespace ember::server
