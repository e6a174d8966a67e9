// In-process tests of the introspection commands: COMMAND (INFO, DOCS, GETKEYS, LIST),
// subcommand dispatch, CONFIG GET/SET/RESETSTAT, INFO commandstats/errorstats, SLOWLOG,
// OBJECT, MEMORY USAGE, LATENCY and the scripting stubs. Replies are read as raw RESP.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/command/dispatcher.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

class IntrospectionTest : public ::testing::Test {
 protected:
  IntrospectionTest() : state_(ServerConfig{}), dispatcher_(CommandTable::Default(), state_) {}

  std::string Run(std::vector<std::string> args) {
    return RunCommand(dispatcher_, client_, args, now_ms_);
  }

  static bool Contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
  }

  ServerState state_;
  Dispatcher dispatcher_;
  ClientState client_;
  int64_t now_ms_ = 1'700'000'000'000;
};

TEST_F(IntrospectionTest, SubcommandArityAndUnknownSubcommandUseRedisTexts) {
  EXPECT_EQ(Run({"config", "get"}), "-ERR wrong number of arguments for 'config|get' command\r\n");
  EXPECT_EQ(Run({"CONFIG", "Set", "hz"}),
            "-ERR wrong number of arguments for 'config|set' command\r\n");
  EXPECT_EQ(Run({"config", "x"}), "-ERR unknown subcommand 'x'. Try CONFIG HELP.\r\n");
  EXPECT_EQ(Run({"object", "nope", "k"}), "-ERR unknown subcommand 'nope'. Try OBJECT HELP.\r\n");
  EXPECT_EQ(Run({"config"}), "-ERR wrong number of arguments for 'config' command\r\n");
}

TEST_F(IntrospectionTest, CommandInfoGetHasTheTenFieldsAndKeySpec) {
  const std::string expected =
      "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
      "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n"
      "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
      "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
      "5\r\nindex\r\n:1\r\n"
      "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
      "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
  EXPECT_EQ(Run({"command", "info", "GET"}), expected);
  EXPECT_EQ(Run({"command", "info", "nosuch"}), "*1\r\n*-1\r\n");
}

// Redis 7.0 renders "no subcommands" as an empty set; RESP3 clients see the difference.
TEST_F(IntrospectionTest, CommandInfoInResp3EndsWithAnEmptySubcommandSet) {
  client_.protocol_version = 3;
  const std::string info = Run({"command", "info", "get"});
  ASSERT_GE(info.size(), 4u);
  EXPECT_EQ(info.substr(info.size() - 4), "~0\r\n") << info;
  EXPECT_TRUE(Contains(Run({"command", "info", "config"}), "~0\r\n~0\r\n*5\r\n*10\r\n"));
}

TEST_F(IntrospectionTest, CommandInfoOfAContainerNestsItsSubcommands) {
  const std::string info = Run({"command", "info", "config"});
  EXPECT_TRUE(info.rfind("*1\r\n*10\r\n$6\r\nconfig\r\n:-2\r\n*0\r\n", 0) == 0) << info;
  EXPECT_TRUE(Contains(info, "$10\r\nconfig|get\r\n:-3\r\n")) << info;
  EXPECT_TRUE(Contains(info, "$24\r\nrequest_policy:all_nodes\r\n")) << info;
  EXPECT_EQ(Run({"command", "info", "config|get"}).substr(0, 26),
            "*1\r\n*10\r\n$10\r\nconfig|get\r\n");
}

TEST_F(IntrospectionTest, CommandDocsDescribesArgumentsWithTokensAndNesting) {
  const std::string docs = Run({"command", "docs", "set"});
  EXPECT_TRUE(Contains(docs, "$10\r\nexpiration\r\n$4\r\ntype\r\n$5\r\noneof\r\n")) << docs;
  EXPECT_TRUE(Contains(docs, "$5\r\ntoken\r\n$7\r\nKEEPTTL\r\n")) << docs;
  EXPECT_TRUE(Contains(docs, "$5\r\nflags\r\n*1\r\n+optional\r\n")) << docs;
  EXPECT_EQ(Run({"command", "docs", "nosuch"}), "*0\r\n");
  const std::string config = Run({"command", "docs", "config"});
  EXPECT_TRUE(Contains(config, "$11\r\nsubcommands\r\n")) << config;
  EXPECT_TRUE(Contains(config, "$15\r\nparameter_value\r\n")) << config;
}

TEST_F(IntrospectionTest, GetKeysFollowsKeyPositionsAndRejectsAsRedisDoes) {
  EXPECT_EQ(Run({"command", "getkeys", "mset", "a", "1", "b", "2"}),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(Run({"command", "getkeys", "object", "encoding", "k"}), "*1\r\n$1\r\nk\r\n");
  EXPECT_EQ(Run({"command", "getkeys", "nosuch", "x"}), "-ERR Invalid command specified\r\n");
  EXPECT_EQ(Run({"command", "getkeys", "get", "a", "b"}),
            "-ERR Invalid number of arguments specified for command\r\n");
  EXPECT_EQ(Run({"command", "getkeys", "ping", "x"}), "-ERR The command has no key arguments\r\n");
  EXPECT_EQ(Run({"command", "getkeysandflags", "set", "k", "v"}),
            "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n");
}

TEST_F(IntrospectionTest, CommandListFiltersByPatternAndCategory) {
  EXPECT_EQ(Run({"command", "list", "filterby", "pattern", "config|g*"}),
            "*1\r\n$10\r\nconfig|get\r\n");
  EXPECT_EQ(Run({"command", "list", "filterby", "module", "x"}), "*0\r\n");
  EXPECT_EQ(Run({"command", "list", "filterby", "bogus", "x"}), "-ERR syntax error\r\n");
  const std::string keyspace = Run({"command", "list", "filterby", "aclcat", "keyspace"});
  EXPECT_TRUE(Contains(keyspace, "$3\r\ndel\r\n"));
  EXPECT_FALSE(Contains(keyspace, "$3\r\nget\r\n"));
}

TEST_F(IntrospectionTest, ConfigSetIsAllOrNothing) {
  EXPECT_EQ(Run({"config", "set", "hz", "20", "timeout", "x"}),
            "-ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't "
            "be parsed into an integer\r\n");
  EXPECT_EQ(state_.config().hz, 10);
  EXPECT_EQ(Run({"config", "set", "hz", "20", "timeout", "30"}), "+OK\r\n");
  EXPECT_EQ(state_.config().hz, 20);
  EXPECT_EQ(state_.config().timeout, 30);
  EXPECT_EQ(Run({"config", "set", "hz", "1000"}), "+OK\r\n");  // clamped, as in Redis
  EXPECT_EQ(Run({"config", "get", "hz"}), "*2\r\n$2\r\nhz\r\n$3\r\n500\r\n");
}

TEST_F(IntrospectionTest, ConfigSetErrorsMatchRedis) {
  EXPECT_EQ(Run({"config", "set", "foo", "1"}),
            "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n");
  EXPECT_EQ(Run({"config", "set", "hz", "1", "hz", "2"}),
            "-ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter\r\n");
  EXPECT_EQ(Run({"config", "set", "databases", "2"}),
            "-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set "
            "immutable config\r\n");
  EXPECT_EQ(Run({"config", "set", "maxclients", "0"}),
            "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must "
            "be between 1 and 4294967295 inclusive\r\n");
  EXPECT_EQ(Run({"config", "set", "protected-mode", "maybe"}),
            "-ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument "
            "must be 'yes' or 'no'\r\n");
  EXPECT_EQ(Run({"config", "set", "maxmemory", "1zz"}),
            "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must "
            "be a memory value\r\n");
  EXPECT_EQ(Run({"config", "set", "save", "x"}),
            "-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save "
            "parameters\r\n");
}

TEST_F(IntrospectionTest, ConfigGetMatchesSeveralPatterns) {
  EXPECT_EQ(Run({"config", "set", "save", "", "maxmemory", "1mb"}), "+OK\r\n");
  EXPECT_EQ(Run({"config", "get", "save", "maxmemory"}),
            "*4\r\n$4\r\nsave\r\n$0\r\n\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n");
  const std::string slow = Run({"config", "get", "slowlog-*"});
  EXPECT_TRUE(Contains(slow, "$23\r\nslowlog-log-slower-than\r\n$5\r\n10000\r\n")) << slow;
  EXPECT_TRUE(Contains(slow, "$15\r\nslowlog-max-len\r\n$3\r\n128\r\n")) << slow;
  EXPECT_EQ(Run({"config", "get", "nomatch*"}), "*0\r\n");
}

TEST_F(IntrospectionTest, ConfigRewriteWithoutAFileFails) {
  EXPECT_EQ(Run({"config", "rewrite"}), "-ERR The server is running without a config file\r\n");
}

TEST_F(IntrospectionTest, CommandStatsAndErrorStatsCountCallsAndFailures) {
  Run({"set", "k", "v"});
  Run({"get", "k"});
  Run({"get", "k"});
  Run({"get"});            // rejected: arity
  Run({"incr", "k"});      // failed: not an integer
  Run({"nosuchcommand"});  // counted as an error only
  Run({"config", "get", "hz"});
  const std::string info = Run({"info", "commandstats"});
  EXPECT_TRUE(Contains(info, "cmdstat_get:calls=2,")) << info;
  EXPECT_TRUE(Contains(info, ",rejected_calls=1,failed_calls=0")) << info;
  EXPECT_TRUE(Contains(info, "cmdstat_incr:calls=1,")) << info;
  EXPECT_TRUE(Contains(info, "cmdstat_config|get:calls=1,")) << info;
  const std::string errors = Run({"info", "errorstats"});
  EXPECT_TRUE(Contains(errors, "errorstat_ERR:count=3\r\n")) << errors;
  EXPECT_EQ(Run({"config", "resetstat"}), "+OK\r\n");
  EXPECT_FALSE(Contains(Run({"info", "commandstats"}), "cmdstat_get"));
  EXPECT_FALSE(Contains(Run({"info", "errorstats"}), "errorstat_ERR"));
}

TEST_F(IntrospectionTest, InfoSelectsSectionsAsRedisDoes) {
  const std::string all = Run({"info", "everything"});
  EXPECT_TRUE(Contains(all, "# Commandstats\r\n"));
  EXPECT_TRUE(Contains(all, "# Latencystats\r\n"));
  const std::string plain = Run({"info"});
  EXPECT_FALSE(Contains(plain, "# Commandstats"));
  EXPECT_TRUE(Contains(plain, "# Errorstats\r\n"));
  EXPECT_TRUE(Contains(plain, "redis_version:7.0.15\r\n"));
  EXPECT_TRUE(Contains(plain, "role:master\r\n"));
  const std::string two = Run({"info", "server", "CLIENTS"});
  EXPECT_TRUE(Contains(two, "# Server\r\n"));
  EXPECT_TRUE(Contains(two, "\r\n\r\n# Clients\r\n"));
  EXPECT_FALSE(Contains(two, "# Memory"));
}

TEST_F(IntrospectionTest, KeyspaceAvgTtlIsTheRemainingTtl) {
  Run({"set", "a", "1", "px", "100000"});
  const std::string info = Run({"info", "keyspace"});
  EXPECT_TRUE(Contains(info, "db0:keys=1,expires=1,avg_ttl=100000\r\n")) << info;
}

TEST_F(IntrospectionTest, SlowlogRecordsAndTruncatesLikeRedis) {
  Run({"config", "set", "slowlog-log-slower-than", "0"});
  Run({"slowlog", "reset"});
  std::vector<std::string> big = {"mset"};
  for (int i = 0; i < 20; ++i) {
    big.push_back("k" + std::to_string(i));
    big.push_back(i == 0 ? std::string(200, 'x') : "v");
  }
  Run(big);
  const std::string log = Run({"slowlog", "get", "1"});
  EXPECT_TRUE(Contains(log, "*32\r\n$4\r\nmset\r\n")) << log;
  EXPECT_TRUE(Contains(log, std::string(128, 'x') + "... (72 more bytes)\r\n")) << log;
  EXPECT_TRUE(Contains(log, "... (10 more arguments)\r\n")) << log;
  EXPECT_EQ(Run({"slowlog", "get", "-2"}), "-ERR count should be greater than or equal to -1\r\n");
  Run({"config", "set", "slowlog-log-slower-than", "-1"});
  Run({"slowlog", "reset"});
  Run({"get", "k0"});
  EXPECT_EQ(Run({"slowlog", "len"}), ":0\r\n");
}

TEST_F(IntrospectionTest, ObjectReportsEncodingsAndRedisErrors) {
  Run({"set", "n", "12345"});
  Run({"set", "s", "hello"});
  Run({"set", "long", std::string(100, 'a')});
  EXPECT_EQ(Run({"object", "encoding", "n"}), "$3\r\nint\r\n");
  EXPECT_EQ(Run({"object", "encoding", "s"}), "$6\r\nembstr\r\n");
  EXPECT_EQ(Run({"object", "encoding", "long"}), "$3\r\nraw\r\n");
  EXPECT_EQ(Run({"object", "encoding", "missing"}), "$-1\r\n");
  EXPECT_EQ(Run({"object", "refcount", "s"}), ":1\r\n");
  EXPECT_EQ(Run({"object", "idletime", "s"}), ":0\r\n");
  EXPECT_TRUE(
      Run({"object", "freq", "s"}).rfind("-ERR An LFU maxmemory policy is not selected", 0) == 0);
  Run({"config", "set", "maxmemory-policy", "allkeys-lfu"});
  EXPECT_EQ(Run({"object", "freq", "s"}), ":0\r\n");
}

TEST_F(IntrospectionTest, MemoryUsageGrowsWithTheValue) {
  Run({"set", "small", "x"});
  Run({"set", "big", std::string(10000, 'x')});
  auto usage = [&](const std::string& key) {
    std::string reply = Run({"memory", "usage", key});
    return std::stoll(reply.substr(1));
  };
  EXPECT_GT(usage("small"), 0);
  EXPECT_GE(usage("big"), usage("small") + 10000);
  EXPECT_EQ(Run({"memory", "usage", "missing"}), "$-1\r\n");
  EXPECT_EQ(Run({"memory", "usage", "small", "samples", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(Run({"memory", "usage", "small", "bogus"}), "-ERR syntax error\r\n");
}

TEST_F(IntrospectionTest, LatencyAndScriptingStubsAnswerAsAnIdleRedis) {
  EXPECT_EQ(Run({"latency", "latest"}), "*0\r\n");
  EXPECT_EQ(Run({"latency", "reset"}), ":0\r\n");
  EXPECT_EQ(Run({"function", "flush"}), "+OK\r\n");
  EXPECT_EQ(Run({"function", "flush", "async"}), "+OK\r\n");
  EXPECT_EQ(Run({"function", "flush", "x"}),
            "-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n");
  EXPECT_EQ(Run({"script", "flush", "SYNC"}), "+OK\r\n");
  EXPECT_EQ(Run({"script", "flush", "x"}), "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n");
}

}  // namespace
}  // namespace ember::server
