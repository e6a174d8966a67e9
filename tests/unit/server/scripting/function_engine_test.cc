// In-process tests of functions through the dispatcher: FCALL's writes reach the write path
// as their effects (one MULTI ... EXEC block, or the bare command), never as FCALL; FUNCTION
// LOAD / DELETE / FLUSH / RESTORE are write commands that propagate as sent (and count as
// changes), only when they change something; libraries outlive FLUSHALL; a failed load
// or restore leaves the libraries as they were; library code that loops is stopped.
#include "server/scripting/function_engine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "server/command/dispatcher.h"
#include "server/scripting/function_persistence.h"
#include "tests/unit/server/recording_server_test.h"

namespace ember::server {
namespace {

const std::string kCounterLib =
    "#!lua name=counters\n"
    "redis.register_function('bump', function(keys, args)\n"
    "  redis.call('incr', keys[1])\n"
    "  return redis.call('incrby', keys[2], args[1])\n"
    "end)\n"
    "redis.register_function('one_write', function(keys) return redis.call('set', keys[1], 'v') "
    "end)\n"
    "redis.register_function{function_name='reader', callback=function(keys)\n"
    "  return redis.call('get', keys[1]) end, flags={'no-writes'}}\n"
    "redis.register_function('quiet', function()\n"
    "  redis.call('set', 'a', '1') redis.set_repl(redis.REPL_NONE) redis.call('set', 'b', '2')\n"
    "  redis.set_repl(redis.REPL_ALL) redis.call('set', 'c', '3') end)\n"
    "redis.register_function('expiring', function(keys) return redis.call('set', keys[1], 'v', "
    "'EX', 10) end)";

class FunctionEngineTest : public RecordingServerTest {
 protected:
  // The bytes of a bulk string reply.
  static std::string BulkBody(const std::string& reply) {
    const size_t start = reply.find("\r\n") + 2;
    return reply.substr(start, reply.size() - start - 2);
  }
  void LoadCounters() {
    ASSERT_EQ(Run({"function", "load", kCounterLib}), "$8\r\ncounters\r\n");
    propagated_.clear();
  }
};

TEST_F(FunctionEngineTest, SeveralWritesPropagateAsOneTransactionOfTheirEffects) {
  LoadCounters();
  EXPECT_EQ(Run({"fcall", "bump", "2", "hits", "total", "5"}), ":5\r\n");
  EXPECT_EQ(propagated_,
            (std::vector<std::string>{"0: MULTI", "0: incr hits", "0: incrby total 5", "0: EXEC"}));
}

TEST_F(FunctionEngineTest, OneWritePropagatesBareAndReadsNotAtAll) {
  LoadCounters();
  EXPECT_EQ(Run({"fcall_ro", "reader", "1", "k"}), "$-1\r\n");
  EXPECT_EQ(Run({"fcall", "reader", "1", "k"}), "$-1\r\n");
  EXPECT_TRUE(propagated_.empty());
  EXPECT_EQ(Run({"fcall", "one_write", "1", "k"}), "+OK\r\n");
  EXPECT_EQ(propagated_, (std::vector<std::string>{"0: set k v"}));
}

TEST_F(FunctionEngineTest, RelativeExpiriesPropagateAsAbsolute) {
  LoadCounters();
  Run({"fcall", "expiring", "1", "k"});
  EXPECT_EQ(propagated_, (std::vector<std::string>{"0: SET k v PXAT 1700000010000"}));
}

TEST_F(FunctionEngineTest, SetReplNoneKeepsLaterCommandsOutOfThePropagation) {
  LoadCounters();
  Run({"fcall", "quiet", "0"});
  EXPECT_EQ(propagated_,
            (std::vector<std::string>{"0: MULTI", "0: set a 1", "0: set c 3", "0: EXEC"}));
  EXPECT_EQ(Run({"mget", "a", "b", "c"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
}

TEST_F(FunctionEngineTest, FcallInsideExecJoinsTheTransactionBlock) {
  LoadCounters();
  Run({"multi"});
  Run({"set", "x", "1"});
  Run({"fcall", "bump", "2", "hits", "total", "1"});
  Run({"exec"});
  EXPECT_EQ(propagated_, (std::vector<std::string>{"0: MULTI", "0: set x 1", "0: incr hits",
                                                   "0: incrby total 1", "0: EXEC"}));
}

TEST_F(FunctionEngineTest, FcallRoRefusesWritesAndPropagatesNothing) {
  LoadCounters();
  EXPECT_EQ(Run({"fcall_ro", "one_write", "1", "k"}),
            "-ERR Can not execute a script with write flag using *_ro command.\r\n");
  EXPECT_TRUE(propagated_.empty());
}

TEST_F(FunctionEngineTest, LibraryCommandsPropagateAsSentOnlyWhenTheyChangeSomething) {
  const std::string lib = "#!lua name=l\nredis.register_function('f', function() return 1 end)";
  const uint64_t dirty = state_.dirty();
  Run({"function", "load", lib});
  Run({"function", "load", lib});  // already exists: refused
  Run({"function", "load", "replace", lib});
  Run({"function", "list"});
  Run({"function", "dump"});
  Run({"function", "delete", "nosuch"});
  Run({"function", "delete", "l"});
  Run({"function", "flush", "async"});
  EXPECT_EQ(propagated_,
            (std::vector<std::string>{"0: function load " + lib, "0: function load replace " + lib,
                                      "0: function delete l", "0: function flush async"}));
  EXPECT_EQ(state_.dirty(), dirty + 4);
}

TEST_F(FunctionEngineTest, RestorePropagatesItsPayload) {
  LoadCounters();
  const std::string payload = BulkBody(Run({"function", "dump"}));
  Run({"function", "flush"});
  propagated_.clear();
  EXPECT_EQ(Run({"function", "restore", payload}), "+OK\r\n");
  EXPECT_EQ(Run({"function", "restore", payload}), "-ERR Library counters already exists\r\n");
  EXPECT_EQ(Run({"function", "restore", payload, "replace"}), "+OK\r\n");
  EXPECT_EQ(propagated_, (std::vector<std::string>{"0: function restore " + payload,
                                                   "0: function restore " + payload + " replace"}));
  EXPECT_EQ(Run({"fcall", "bump", "2", "a", "b", "2"}), ":2\r\n");
}

TEST_F(FunctionEngineTest, FailedRestoreLeavesTheLibrariesAsTheyWere) {
  LoadCounters();
  const std::string payload = BulkBody(Run({"function", "dump"}));
  // Another library now owns `bump`: restoring `counters` over itself still clashes.
  Run({"function", "delete", "counters"});
  Run({"function", "load",
       "#!lua name=other\nredis.register_function('bump', function() return 'other' end)"});
  EXPECT_EQ(Run({"function", "restore", payload, "replace"}),
            "-ERR Function bump already exists\r\n");
  EXPECT_EQ(Run({"function", "restore", payload, "flush"}), "+OK\r\n");
  EXPECT_EQ(Run({"fcall", "bump", "2", "a", "b", "3"}), ":3\r\n");
  EXPECT_EQ(state_.functions().libraries().library_count(), 1u);
}

TEST_F(FunctionEngineTest, LibrariesOutliveFlushall) {
  LoadCounters();
  Run({"flushall"});
  EXPECT_EQ(Run({"fcall", "bump", "2", "a", "b", "1"}), ":1\r\n");
}

TEST_F(FunctionEngineTest, FailedReplaceKeepsTheOldLibrary) {
  LoadCounters();
  const std::string reply =
      Run({"function", "load", "replace",
           "#!lua name=counters\nredis.register_function('bump', function() return 0 end)\n"
           "redis.register_function('bump', function() return 0 end)"});
  EXPECT_EQ(reply,
            "-ERR Error registering functions: ERR Function already exists in the library\r\n");
  EXPECT_EQ(Run({"fcall", "bump", "2", "a", "b", "4"}), ":4\r\n");
  EXPECT_EQ(state_.functions().libraries().function_count(), 5u);
}

TEST_F(FunctionEngineTest, LoopingLibraryCodeIsStoppedAfterItsTimeLimit) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Run({"function", "load", "#!lua name=spin\nlocal a = 1\nwhile 1 do a = a + 1 end"}),
            "-ERR Error registering functions: ERR FUNCTION LOAD timeout\r\n");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(scripting::kFunctionLoadTimeoutMs));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  // The interpreter is usable afterwards, and a later load is not cut short.
  EXPECT_EQ(Run({"function", "load", kCounterLib}), "$8\r\ncounters\r\n");
}

TEST_F(FunctionEngineTest, LibrariesFromAFileLoadWithoutReplacing) {
  const std::vector<std::string> codes = {
      "#!lua name=a\nredis.register_function('fa', function() return 'a' end)",
      "#!lua name=b\nredis.register_function('fb', function() return 'b' end)"};
  std::string error;
  ASSERT_TRUE(scripting::LoadFunctionLibraries(state_.functions(), codes, &error)) << error;
  EXPECT_EQ(scripting::FunctionLibraryCodes(state_.functions()), codes);
  EXPECT_EQ(Run({"fcall", "FB", "0"}), "$1\r\nb\r\n");
  EXPECT_FALSE(scripting::LoadFunctionLibraries(state_.functions(), codes, &error));
  EXPECT_EQ(error, "Failed loading library, Library 'a' already exists");
}

TEST_F(FunctionEngineTest, FunctionsAndEvalScriptsHaveSeparateInterpreters) {
  LoadCounters();
  Run({"script", "flush"});
  EXPECT_EQ(Run({"fcall", "bump", "2", "a", "b", "6"}), ":6\r\n");
  EXPECT_GT(state_.functions().lua_memory_bytes(), 0u);
  EXPECT_EQ(state_.scripts().lua_memory_bytes(), 0u);
}

}  // namespace
}  // namespace ember::server
