// In-process tests of HELLO, AUTH, RESET and CLIENT through the dispatcher: Redis 7.0's
// replies and error texts, RESP2/RESP3 rendering, CLIENT REPLY muting, CLIENT KILL and the
// CLIENT PAUSE hold decision.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/command/dispatcher.h"
#include "server/command/reply_mute.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

constexpr std::string_view kHelloTail =
    "$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n";

class ConnectionCommandsTest : public ::testing::Test {
 protected:
  explicit ConnectionCommandsTest(ServerConfig config = {})
      : state_(std::move(config)), dispatcher_(CommandTable::Default(), state_) {
    client_.id = 7;
    client_.created_ms = now_ms_;
    client_.last_interaction_ms = now_ms_;
    client_.address = "127.0.0.1:5000";
    client_.local_address = "127.0.0.1:6379";
    other_.id = 8;
    other_.address = "127.0.0.1:5001";
    other_.local_address = "127.0.0.1:6379";
    other_.kill = [this] { ++other_kills_; };
    state_.RegisterClient(&client_);
    state_.RegisterClient(&other_);
  }
  ~ConnectionCommandsTest() override {
    state_.UnregisterClient(&client_);
    state_.UnregisterClient(&other_);
  }

  // Runs one command as the connection would: with CLIENT REPLY applied.
  std::string RunAs(ClientState& client, std::vector<std::string> args) {
    return RunCommand(dispatcher_, client, args, now_ms_);
  }
  std::string Run(std::vector<std::string> args) { return RunAs(client_, std::move(args)); }
  bool MustWait(ClientState& client, std::vector<std::string> args) {
    std::vector<std::string_view> views(args.begin(), args.end());
    return dispatcher_.MustWait(views, client, now_ms_);
  }

  int64_t now_ms_ = 1'700'000'000'000;
  ServerState state_;
  Dispatcher dispatcher_;
  ClientState client_;
  ClientState other_;
  int other_kills_ = 0;
};

TEST_F(ConnectionCommandsTest, HelloRepliesTheServerMapInTheNegotiatedProtocol) {
  EXPECT_EQ(Run({"hello"}),
            "*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n"
            ":2\r\n$2\r\nid\r\n:7\r\n" +
                std::string(kHelloTail));
  EXPECT_EQ(Run({"hello", "3"}),
            "%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n"
            ":3\r\n$2\r\nid\r\n:7\r\n" +
                std::string(kHelloTail));
  EXPECT_EQ(client_.protocol_version, 3);
  EXPECT_EQ(Run({"get", "missing"}), "_\r\n");
  Run({"hello", "2"});
  EXPECT_EQ(Run({"get", "missing"}), "$-1\r\n");
}

TEST_F(ConnectionCommandsTest, HelloRejectsBadVersionsAndOptions) {
  EXPECT_EQ(Run({"hello", "4"}), "-NOPROTO unsupported protocol version\r\n");
  EXPECT_EQ(Run({"hello", "1"}), "-NOPROTO unsupported protocol version\r\n");
  EXPECT_EQ(Run({"hello", "x"}), "-ERR Protocol version is not an integer or out of range\r\n");
  EXPECT_EQ(Run({"hello", "3", "setname"}), "-ERR Syntax error in HELLO option 'setname'\r\n");
  EXPECT_EQ(Run({"hello", "3", "auth", "default"}), "-ERR Syntax error in HELLO option 'auth'\r\n");
  EXPECT_EQ(Run({"hello", "3", "setname", "a b"}),
            "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
  EXPECT_EQ(Run({"hello", "3", "auth", "bob", "x"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(client_.protocol_version, 2);  // nothing changed
  Run({"hello", "3", "setname", "x", "setname", "y"});
  EXPECT_EQ(client_.name, "y");
}

TEST_F(ConnectionCommandsTest, AuthWithoutRequirepass) {
  EXPECT_EQ(Run({"auth", "pw"}),
            "-ERR AUTH <password> called without any password configured for the default user. "
            "Are you sure your configuration is correct?\r\n");
  EXPECT_EQ(Run({"auth", "default", "anything"}), "+OK\r\n");
  EXPECT_EQ(Run({"auth", "bob", "anything"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(Run({"auth", "a", "b", "c"}), "-ERR syntax error\r\n");
}

class RequirepassTest : public ConnectionCommandsTest {
 protected:
  RequirepassTest() : ConnectionCommandsTest(WithPassword()) { client_.authenticated = false; }
  static ServerConfig WithPassword() {
    ServerConfig config;
    config.requirepass = "secret";
    return config;
  }
};

TEST_F(RequirepassTest, CommandsNeedAuthFirst) {
  EXPECT_EQ(Run({"ping"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(Run({"client", "id"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(Run({"hello", "3"}).substr(0, 60),
            "-NOAUTH HELLO must be called with the client already authent");
  EXPECT_EQ(Run({"auth", "wrong"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(Run({"auth", "secret"}), "+OK\r\n");
  EXPECT_EQ(Run({"ping"}), "+PONG\r\n");
  // A later failed AUTH does not log the client out.
  Run({"auth", "default", "wrong"});
  EXPECT_TRUE(client_.authenticated);
}

TEST_F(RequirepassTest, HelloAuthLogsInAndSwitchesProtocol) {
  EXPECT_EQ(Run({"hello", "3", "auth", "default", "wrong"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_FALSE(client_.authenticated);
  EXPECT_EQ(Run({"hello", "3", "auth", "default", "secret", "setname", "app"}).substr(0, 4),
            "%7\r\n");
  EXPECT_TRUE(client_.authenticated);
  EXPECT_EQ(client_.name, "app");
}

TEST_F(RequirepassTest, ResetLogsOutAndRestoresDefaults) {
  Run({"auth", "secret"});
  Run({"hello", "3", "setname", "app"});
  Run({"select", "3"});
  Run({"watch", "k"});
  Run({"multi"});
  EXPECT_EQ(Run({"reset"}), "+RESET\r\n");
  EXPECT_FALSE(client_.authenticated);
  EXPECT_EQ(client_.protocol_version, 2);
  EXPECT_EQ(client_.db_index, 0);
  EXPECT_TRUE(client_.name.empty());
  EXPECT_FALSE(client_.transaction.in_multi);
  EXPECT_TRUE(client_.transaction.watched.empty());
  EXPECT_EQ(Run({"get", "k"}), "-NOAUTH Authentication required.\r\n");
}

TEST_F(ConnectionCommandsTest, ClientNamesAndIds) {
  EXPECT_EQ(Run({"client", "id"}), ":7\r\n");
  EXPECT_EQ(Run({"client", "getname"}), "$-1\r\n");
  EXPECT_EQ(Run({"client", "setname", "worker-1"}), "+OK\r\n");
  EXPECT_EQ(Run({"client", "getname"}), "$8\r\nworker-1\r\n");
  EXPECT_EQ(Run({"client", "setname", "bad\nname"}),
            "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
  EXPECT_EQ(Run({"client", "setname", ""}), "+OK\r\n");
  EXPECT_EQ(Run({"client", "getname"}), "$-1\r\n");
  EXPECT_EQ(Run({"client", "id", "x"}),
            "-ERR wrong number of arguments for 'client|id' command\r\n");
  EXPECT_EQ(Run({"client", "nosuch"}), "-ERR unknown subcommand 'nosuch'. Try CLIENT HELP.\r\n");
}

TEST_F(ConnectionCommandsTest, ClientSetInfoIsToleratedAndShownInClientInfo) {
  EXPECT_EQ(Run({"client", "setinfo", "lib-name", "redis-py"}), "+OK\r\n");
  EXPECT_EQ(Run({"client", "setinfo", "LIB-VER", "5.0.1"}), "+OK\r\n");
  EXPECT_EQ(Run({"client", "setinfo", "other", "x"}), "-ERR Unrecognized option 'other'\r\n");
  EXPECT_EQ(Run({"client", "setinfo", "lib-name", "a b"}),
            "-ERR lib-name cannot contain spaces, newlines or special characters.\r\n");
  std::string info = Run({"client", "info"});
  EXPECT_NE(info.find(" lib-name=redis-py lib-ver=5.0.1\n"), std::string::npos) << info;
}

TEST_F(ConnectionCommandsTest, ClientInfoAndListUseRedisLineFormat) {
  Run({"client", "setname", "me"});
  Run({"select", "2"});
  std::string info = Run({"client", "info"});
  EXPECT_EQ(info.substr(0, 1), "$");
  EXPECT_NE(info.find("id=7 addr=127.0.0.1:5000 laddr=127.0.0.1:6379 fd=-1 name=me age=0 "
                      "idle=0 flags=N db=2 sub=0 psub=0 ssub=0 multi=-1 qbuf=0"),
            std::string::npos)
      << info;
  EXPECT_NE(info.find(" events=r cmd=client|info user=default redir=-1 resp=2\n\r\n"),
            std::string::npos)
      << info;
  std::string list = Run({"client", "list"});
  EXPECT_LT(list.find("id=7 "), list.find("id=8 "));
  EXPECT_EQ(Run({"client", "list", "id", "8"}).find("id=7 "), std::string::npos);
  EXPECT_EQ(Run({"client", "list", "type", "pubsub"}), "$0\r\n\r\n");
  EXPECT_EQ(Run({"client", "list", "type", "bogus"}), "-ERR Unknown client type 'bogus'\r\n");
  EXPECT_EQ(Run({"client", "list", "id", "1", "x"}), "-ERR Invalid client ID\r\n");
  EXPECT_EQ(Run({"client", "list", "x"}), "-ERR syntax error\r\n");
  client_.protocol_version = 3;
  EXPECT_EQ(Run({"client", "info"}).substr(0, 1), "=");
}

TEST_F(ConnectionCommandsTest, ClientListShowsTransactionFlags) {
  Run({"multi"});
  Run({"ping"});
  std::string line = RunAs(other_, {"client", "list", "id", "7"});
  EXPECT_NE(line.find(" flags=x "), std::string::npos) << line;
  EXPECT_NE(line.find(" multi=1 "), std::string::npos) << line;
}

TEST_F(ConnectionCommandsTest, ClientKillClosesOtherConnections) {
  EXPECT_EQ(Run({"client", "kill", "127.0.0.1:9"}), "-ERR No such client\r\n");
  EXPECT_EQ(Run({"client", "kill", "id", "999"}), ":0\r\n");
  EXPECT_EQ(Run({"client", "kill", "id", "0"}), "-ERR client-id should be greater than 0\r\n");
  EXPECT_EQ(Run({"client", "kill", "user", "bob"}), "-ERR No such user 'bob'\r\n");
  EXPECT_EQ(Run({"client", "kill", "skipme", "maybe"}), "-ERR syntax error\r\n");
  EXPECT_EQ(Run({"client", "kill", "id", "8", "skipme"}), "-ERR syntax error\r\n");
  EXPECT_EQ(Run({"client", "kill", "type", "master"}), ":0\r\n");
  EXPECT_EQ(Run({"client", "kill", "laddr", "127.0.0.1:6379"}), ":1\r\n");  // skips itself
  EXPECT_EQ(other_kills_, 1);
  EXPECT_FALSE(client_.close_after_reply);
  EXPECT_EQ(Run({"client", "list"}).find("id=8 "), std::string::npos);
}

TEST_F(ConnectionCommandsTest, ClientKillOldFormAndSelf) {
  EXPECT_EQ(Run({"client", "kill", "127.0.0.1:5001"}), "+OK\r\n");
  EXPECT_EQ(other_kills_, 1);
  EXPECT_EQ(Run({"client", "kill", "id", "7", "skipme", "no"}), ":1\r\n");
  EXPECT_TRUE(client_.close_after_reply);  // the reply goes out first
}

TEST_F(ConnectionCommandsTest, ClientReplyOffSkipOn) {
  EXPECT_EQ(Run({"client", "reply", "skip"}), "");
  EXPECT_EQ(Run({"ping"}), "");
  EXPECT_EQ(Run({"ping"}), "+PONG\r\n");
  EXPECT_EQ(Run({"client", "reply", "off"}), "");
  EXPECT_EQ(Run({"set", "k", "v"}), "");
  EXPECT_EQ(Run({"nosuch"}), "");
  EXPECT_EQ(Run({"client", "reply", "on"}), "+OK\r\n");
  EXPECT_EQ(Run({"get", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(Run({"client", "reply", "maybe"}), "-ERR syntax error\r\n");
}

TEST_F(ConnectionCommandsTest, ClientFlagsAndHelp) {
  EXPECT_EQ(Run({"client", "no-evict", "on"}), "+OK\r\n");
  EXPECT_TRUE(client_.no_evict);
  EXPECT_EQ(Run({"client", "no-evict", "x"}), "-ERR syntax error\r\n");
  EXPECT_EQ(Run({"client", "no-touch", "on"}), "+OK\r\n");
  EXPECT_TRUE(client_.no_touch);
  EXPECT_EQ(Run({"client", "getredir"}), ":-1\r\n");
  EXPECT_EQ(Run({"client", "unblock", "5"}), ":0\r\n");
  EXPECT_EQ(Run({"client", "unblock", "5", "foo"}),
            "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n");
  std::string help = Run({"client", "help"});
  EXPECT_EQ(help.substr(0, 1), "*");
  EXPECT_NE(help.find("+CLIENT <subcommand>"), std::string::npos);
}

TEST_F(ConnectionCommandsTest, ClientPauseHoldsCommandsUntilItEnds) {
  EXPECT_EQ(Run({"client", "pause", "x"}), "-ERR timeout is not an integer or out of range\r\n");
  EXPECT_EQ(Run({"client", "pause", "-1"}), "-ERR timeout is negative\r\n");
  EXPECT_EQ(Run({"client", "pause", "10", "some"}),
            "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n");
  EXPECT_FALSE(MustWait(other_, {"set", "k", "v"}));
  EXPECT_EQ(Run({"client", "pause", "1000", "write"}), "+OK\r\n");
  EXPECT_TRUE(MustWait(other_, {"set", "k", "v"}));
  EXPECT_FALSE(MustWait(other_, {"get", "k"}));
  EXPECT_FALSE(MustWait(other_, {"nosuch"}));
  RunAs(other_, {"multi"});
  RunAs(other_, {"set", "k", "v"});
  EXPECT_TRUE(MustWait(other_, {"exec"}));
  now_ms_ += 1001;
  EXPECT_FALSE(MustWait(other_, {"set", "k", "v"}));

  EXPECT_EQ(Run({"client", "pause", "1000"}), "+OK\r\n");  // ALL
  EXPECT_TRUE(MustWait(other_, {"get", "k"}));
  // A narrower second pause does not narrow the first.
  EXPECT_EQ(Run({"client", "pause", "10", "write"}), "+OK\r\n");
  EXPECT_TRUE(MustWait(other_, {"get", "k"}));
  EXPECT_EQ(Run({"client", "unpause"}), "+OK\r\n");
  EXPECT_FALSE(MustWait(other_, {"get", "k"}));
}

}  // namespace
}  // namespace ember::server
