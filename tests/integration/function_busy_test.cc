// Long-running functions over real connections (Redis 7.0): past busy-reply-threshold other
// clients get the FUNCTION KILL flavour of BUSY, FUNCTION STATS names the running function
// and its command, FUNCTION KILL ends a function that has not written (SCRIPT KILL does
// not), a function that wrote is UNKILLABLE; and FUNCTION KILL / STATS refuse a busy EVAL.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/support/redis_client.h"
#include "tests/support/server_process.h"

namespace ember::test {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kBusyFunction =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
constexpr std::string_view kBusyEval =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
constexpr std::string_view kUnkillable =
    "UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
    "either wait the script termination or kill the server in a hard way using the SHUTDOWN "
    "NOSAVE command.";

// spin(millis): loops until that much server time passed (TIME to the microsecond: whole
// seconds would let a call started just before a tick end at once); spin_write writes first.
const std::string kSpinLib =
    "#!lua name=spinners\n"
    "local function now() local t = redis.call('time')\n"
    "  return tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 end\n"
    "local function spin(millis)\n"
    "  local start = now() local n = 0\n"
    "  while true do n = n + 1\n"
    "    if n % 10000 == 0 and now() - start >= millis then return n end end\n"
    "end\n"
    "redis.register_function('spin', function(keys, args) return spin(tonumber(args[1])) end)\n"
    "redis.register_function('spin_write', function(keys, args)\n"
    "  redis.call('set', 'partial', '1') return spin(tonumber(args[1])) end)";

// Pings until the reply is `busy` (the script has started and passed the threshold).
bool WaitUntilBusy(RedisClient& client, std::string_view busy) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (client.Command({"PING"}) == Error(std::string(busy))) return true;
    std::this_thread::sleep_for(milliseconds(25));
  }
  return false;
}

std::string ReplyOf(RawConnection& caller) {
  std::string reply = caller.Read(1, milliseconds(10'000));
  reply += caller.ReadSome(milliseconds(200));
  return reply;
}

class FunctionBusyTest : public ::testing::Test {
 protected:
  FunctionBusyTest()
      : server_(ServerProcess::StartEmber({"--busy-reply-threshold", "200"})),
        caller_(server_.port()),
        other_(server_.port()) {
    EXPECT_EQ(other_.Command({"FUNCTION", "LOAD", kSpinLib}), Bulk("spinners"));
  }

  ServerProcess server_;
  RawConnection caller_;
  RedisClient other_;
};

TEST_F(FunctionBusyTest, FunctionKillEndsABusyFunctionThatHasNotWritten) {
  ASSERT_TRUE(caller_.Send(RespRequest({"FCALL", "spin", "0", "30000"})));
  ASSERT_TRUE(WaitUntilBusy(other_, kBusyFunction));
  const Reply stats = other_.Command({"FUNCTION", "STATS"});
  ASSERT_EQ(stats.elements.size(), 4u) << stats.ToString();
  const Reply& running = stats.elements[1];
  ASSERT_EQ(running.elements.size(), 6u) << stats.ToString();
  EXPECT_EQ(running.elements[1], Bulk("spin"));
  EXPECT_EQ(running.elements[3], BulkArray({"FCALL", "spin", "0", "30000"}));
  EXPECT_GE(running.elements[5].integer, 200);
  EXPECT_EQ(other_.Command({"SCRIPT", "KILL"}), Error(std::string(kBusyFunction)));
  EXPECT_EQ(other_.Command({"FUNCTION", "KILL"}), Status("OK"));
  const std::string killed = ReplyOf(caller_);
  EXPECT_TRUE(killed.starts_with(
      "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:"))
      << killed;
  EXPECT_EQ(other_.Command({"FUNCTION", "KILL"}),
            Error("NOTBUSY No scripts in execution right now."));
  EXPECT_EQ(other_.Command({"FCALL", "spin", "0", "0"}).type, Reply::Type::kInteger);
}

TEST_F(FunctionBusyTest, AFunctionThatWroteIsUnkillableAndEndsByItself) {
  ASSERT_TRUE(caller_.Send(RespRequest({"FCALL", "spin_write", "0", "1500"})));
  ASSERT_TRUE(WaitUntilBusy(other_, kBusyFunction));
  EXPECT_EQ(other_.Command({"FUNCTION", "KILL"}), Error(std::string(kUnkillable)));
  EXPECT_TRUE(ReplyOf(caller_).starts_with(":"));
  EXPECT_EQ(other_.Command({"GET", "partial"}), Bulk("1"));
}

TEST_F(FunctionBusyTest, FunctionKillAndStatsRefuseABusyEval) {
  ASSERT_TRUE(caller_.Send(RespRequest({"EVAL", "local n = 0 while true do n = n + 1 end", "0"})));
  ASSERT_TRUE(WaitUntilBusy(other_, kBusyEval));
  EXPECT_EQ(other_.Command({"FUNCTION", "KILL"}), Error(std::string(kBusyEval)));
  EXPECT_EQ(other_.Command({"FUNCTION", "STATS"}), Error(std::string(kBusyEval)));
  EXPECT_EQ(other_.Command({"SCRIPT", "KILL"}), Status("OK"));
  EXPECT_TRUE(ReplyOf(caller_).starts_with("-ERR Script killed by user with SCRIPT KILL..."));
}

}  // namespace
}  // namespace ember::test
