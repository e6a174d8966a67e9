// Long-running scripts over real connections, as Redis 7.0 handles them: past
// busy-reply-threshold other clients get BUSY (the server answers them from inside the
// script), SCRIPT KILL ends a script that has not written, a script that wrote is
// UNKILLABLE and only SHUTDOWN NOSAVE ends it — without its writes reaching the AOF.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kBusyEval =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

// Loops until `millis` of server time (TIME, microsecond precision) have passed, then
// returns how many loops ran. Whole seconds would be too coarse: a script started just
// before a second ticks over would end at once.
std::string LoopFor(int millis, bool write_first) {
  std::string body = write_first ? "redis.call('set', 'partial', '1') " : "";
  body +=
      "local function now() local t = redis.call('time') "
      "  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 end "
      "local start = now() local n = 0 "
      "while true do n = n + 1 "
      "  if n % 10000 == 0 and now() - start >= " +
      std::to_string(millis) + " then return n end end";
  return body;
}

// Sends EVAL of `body` on its own connection, so the test can talk to others meanwhile.
void StartScript(RawConnection& caller, const std::string& body) {
  ASSERT_TRUE(caller.Send(RespRequest({"EVAL", body, "0"})));
}

// The script's reply: its first bytes, then whatever follows them at once.
std::string ScriptReply(RawConnection& caller) {
  std::string reply = caller.Read(1, milliseconds(10'000));
  reply += caller.ReadSome(milliseconds(200));
  return reply;
}

// Pings until the reply is BUSY (the script has started and passed the threshold).
bool WaitUntilBusy(RedisClient& client) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (client.Command({"PING"}) == Error(std::string(kBusyEval))) return true;
    std::this_thread::sleep_for(milliseconds(25));
  }
  return false;
}

TEST(ScriptBusyTest, OthersGetBusyAfterTheThresholdAndKillEndsTheScript) {
  ServerProcess server = ServerProcess::StartEmber();  // Redis's default threshold: 5 s
  RawConnection caller(server.port());
  RedisClient other(server.port());
  other.SetTimeout(milliseconds(20'000));
  StartScript(caller, LoopFor(6000, /*write_first=*/false));
  // The script starts first; then a command waits for the threshold (5 s) and gets BUSY.
  std::this_thread::sleep_for(milliseconds(200));
  const auto sent = std::chrono::steady_clock::now();
  EXPECT_EQ(other.Command({"GET", "k"}), Error(std::string(kBusyEval)));
  EXPECT_GE(std::chrono::steady_clock::now() - sent, milliseconds(4'000));
  EXPECT_EQ(other.Command({"PING"}), Error(std::string(kBusyEval)));
  EXPECT_EQ(other.Command({"SCRIPT", "KILL"}), Status("OK"));
  const std::string killed = ScriptReply(caller);
  EXPECT_TRUE(killed.starts_with("-ERR Script killed by user with SCRIPT KILL... script: "))
      << killed;
  EXPECT_EQ(other.Command({"SET", "k", "v"}), Status("OK"));
  EXPECT_EQ(other.Command({"SCRIPT", "KILL"}), Error("NOTBUSY No scripts in execution right now."));
}

TEST(ScriptBusyTest, AScriptThatEndsByItselfRepliesNormallyAfterBeingBusy) {
  ServerProcess server = ServerProcess::StartEmber({"--busy-reply-threshold", "200"});
  RawConnection caller(server.port());
  RedisClient other(server.port());
  StartScript(caller, LoopFor(1500, /*write_first=*/false));
  ASSERT_TRUE(WaitUntilBusy(other));
  EXPECT_EQ(other.Command({"INCR", "n"}), Error(std::string(kBusyEval)));
  const std::string reply = ScriptReply(caller);
  EXPECT_TRUE(reply.starts_with(":")) << reply;
  EXPECT_EQ(other.Command({"INCR", "n"}), Int(1));
}

TEST(ScriptBusyTest, AScriptThatWroteIsUnkillableAndShutdownNosaveDropsItsWrites) {
  ServerProcess server =
      ServerProcess::StartEmber({"--busy-reply-threshold", "200", "--appendonly", "yes"});
  RedisClient other(server.port());
  ASSERT_EQ(other.Command({"SET", "before", "1"}), Status("OK"));
  RawConnection caller(server.port());
  StartScript(caller, LoopFor(30000, /*write_first=*/true));
  ASSERT_TRUE(WaitUntilBusy(other));
  EXPECT_EQ(other.Command({"SCRIPT", "KILL"}),
            Error("UNKILLABLE Sorry the script already executed write commands against "
                  "the dataset. You can either wait the script termination or kill the "
                  "server in a hard way using the SHUTDOWN NOSAVE command."));
  EXPECT_EQ(other.Command({"SHUTDOWN"}), Error(std::string(kBusyEval)));
  other.Command({"SHUTDOWN", "NOSAVE"});
  const std::optional<int> status = server.WaitForExit(milliseconds(10'000));
  ASSERT_TRUE(status.has_value()) << "the server kept running after SHUTDOWN NOSAVE";
  EXPECT_EQ(*status, 0);
  std::ifstream aof(server.workdir() + "/appendonlydir/appendonly.aof.1.incr.aof");
  std::stringstream content;
  content << aof.rdbuf();
  EXPECT_NE(content.str().find("before"), std::string::npos) << content.str();
  EXPECT_EQ(content.str().find("partial"), std::string::npos) << content.str();
}

TEST(ScriptBusyTest, AScriptBelowTheThresholdBlocksNobodyForLong) {
  ServerProcess server = ServerProcess::StartEmber({"--busy-reply-threshold", "0"});
  RedisClient client(server.port());
  // Threshold 0: never busy; the script runs to its end and its caller gets the result.
  EXPECT_EQ(
      client.Command({"EVAL", "local n = 0 for i = 1, 3000000 do n = n + 1 end return n", "0"}),
      Int(3000000));
  EXPECT_EQ(client.Command({"SCRIPT", "KILL"}),
            Error("NOTBUSY No scripts in execution right now."));
}

}  // namespace
}  // namespace ember::test
