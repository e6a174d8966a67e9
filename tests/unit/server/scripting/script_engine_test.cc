// In-process tests of scripts through the dispatcher: a script's writes reach the write path
// as its effects (one MULTI ... EXEC block, or the bare command when there is one), never
// as EVAL; redis.set_repl steers them; a script inside EXEC joins the EXEC's block; the
// script cache and SCRIPT FLUSH; the script client's database and protocol stay its own.
#include "server/scripting/script_engine.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/command/dispatcher.h"
#include "server/scripting/sha1_hex.h"
#include "tests/unit/server/recording_server_test.h"

namespace ember::server {
namespace {

class ScriptEngineTest : public RecordingServerTest {};

TEST_F(ScriptEngineTest, SeveralWritesPropagateAsOneTransactionOfTheirEffects) {
  EXPECT_EQ(Run({"eval", "redis.call('set', KEYS[1], 'a') redis.call('incr', KEYS[2]) return 1",
                 "2", "k", "n"}),
            ":1\r\n");
  EXPECT_EQ(propagated_,
            (std::vector<std::string>{"0: MULTI", "0: set k a", "0: incr n", "0: EXEC"}));
}

TEST_F(ScriptEngineTest, OneWritePropagatesBareAndReadsNotAtAll) {
  Run({"eval", "return redis.call('get', 'k')", "0"});
  EXPECT_TRUE(propagated_.empty());
  Run({"eval", "redis.call('get', 'k') return redis.call('set', 'k', 'v')", "0"});
  EXPECT_EQ(propagated_, (std::vector<std::string>{"0: set k v"}));
}

TEST_F(ScriptEngineTest, RelativeExpiriesPropagateAsAbsolute) {
  Run({"eval", "return redis.call('set', 'k', 'v', 'EX', 10)", "0"});
  ASSERT_EQ(propagated_.size(), 1u);
  EXPECT_EQ(propagated_[0], "0: SET k v PXAT 1700000010000");
}

TEST_F(ScriptEngineTest, SetReplNoneKeepsLaterCommandsOutOfThePropagation) {
  Run({"eval",
       "redis.call('set', 'a', '1') redis.set_repl(redis.REPL_NONE) redis.call('set', 'b', '2') "
       "redis.set_repl(redis.REPL_ALL) redis.call('set', 'c', '3')",
       "0"});
  EXPECT_EQ(propagated_,
            (std::vector<std::string>{"0: MULTI", "0: set a 1", "0: set c 3", "0: EXEC"}));
  EXPECT_EQ(Run({"mget", "a", "b", "c"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
}

TEST_F(ScriptEngineTest, ScriptInsideExecJoinsTheTransactionBlock) {
  Run({"multi"});
  Run({"set", "x", "1"});
  Run({"eval", "redis.call('set', 'y', '2') redis.call('set', 'z', '3')", "0"});
  Run({"exec"});
  EXPECT_EQ(propagated_, (std::vector<std::string>{"0: MULTI", "0: set x 1", "0: set y 2",
                                                   "0: set z 3", "0: EXEC"}));
}

TEST_F(ScriptEngineTest, SelectInsideAScriptMovesOnlyTheScript) {
  Run({"eval", "redis.call('select', 3) redis.call('set', 'k', 'in3')", "0"});
  EXPECT_EQ(client_.db_index, 0);
  EXPECT_EQ(Run({"exists", "k"}), ":0\r\n");
  Run({"select", "3"});
  EXPECT_EQ(Run({"get", "k"}), "$3\r\nin3\r\n");
  EXPECT_EQ(propagated_, (std::vector<std::string>{"3: set k in3"}));
  // The next script starts on its caller's database again, in RESP2.
  EXPECT_EQ(Run({"eval", "return redis.call('get', 'k')", "0"}), "$3\r\nin3\r\n");
}

TEST_F(ScriptEngineTest, CacheKeepsScriptsUntilFlush) {
  const std::string body = "return 'cached'";
  const std::string sha = scripting::Sha1Hex(body);
  EXPECT_EQ(Run({"script", "load", body}), "$40\r\n" + sha + "\r\n");
  EXPECT_EQ(Run({"evalsha", sha, "0"}), "$6\r\ncached\r\n");
  EXPECT_EQ(Run({"script", "exists", sha, "0000"}), "*2\r\n:1\r\n:0\r\n");
  EXPECT_EQ(state_.scripts().script_count(), 1u);
  Run({"script", "flush"});
  EXPECT_EQ(state_.scripts().script_count(), 0u);
  EXPECT_EQ(Run({"evalsha", sha, "0"}), "-NOSCRIPT No matching script. Please use EVAL.\r\n");
}

TEST_F(ScriptEngineTest, FlushStartsAFreshInterpreter) {
  Run({"eval", "return collectgarbage('count')", "0"});
  EXPECT_GT(state_.scripts().lua_memory_bytes(), 0u);
  Run({"script", "flush"});
  EXPECT_EQ(state_.scripts().lua_memory_bytes(), 0u);
  EXPECT_EQ(Run({"eval", "return 7", "0"}), ":7\r\n");
}

TEST_F(ScriptEngineTest, BlockingCommandsAreRefusedInScripts) {
  // BLPOP is refused (noscript, as in Redis 7.0); LMPOP, which never blocks, runs.
  const std::string blpop = "return redis.call('blpop', 'empty', 0)";
  EXPECT_EQ(Run({"eval", blpop, "0"}),
            "-ERR This Redis command is not allowed from script script: " +
                scripting::Sha1Hex(blpop) + ", on @user_script:1.\r\n");
  EXPECT_EQ(Run({"eval", "return redis.call('lmpop', 1, 'empty', 'left')", "0"}), "$-1\r\n");
}

TEST_F(ScriptEngineTest, ErrorTableWithoutMessageDoesNotCrash) {
  const std::string reply = Run({"eval", "error({})", "0"});
  EXPECT_TRUE(reply.starts_with("-")) << reply;
  EXPECT_EQ(Run({"eval", "return 1", "0"}), ":1\r\n");
}

}  // namespace
}  // namespace ember::server
