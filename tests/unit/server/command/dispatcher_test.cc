// In-process tests of the dispatcher's generic gates and the one write path: commands run
// against a ServerState with a hand-set clock, replies are read as raw RESP.
#include "server/command/dispatcher.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : state_(ServerConfig{}), dispatcher_(CommandTable::Default(), state_) {}

  // Runs one command and returns its raw reply.
  std::string Run(std::vector<std::string> args) {
    return RunCommand(dispatcher_, client_, args, now_ms_);
  }

  ServerState state_;
  Dispatcher dispatcher_;
  ClientState client_;
  int64_t now_ms_ = 1'700'000'000'000;
};

TEST_F(DispatcherTest, UnknownCommandQuotesNameAndFirstArguments) {
  EXPECT_EQ(Run({"foo", "a", "b"}),
            "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n");
  EXPECT_EQ(Run({"foo"}), "-ERR unknown command 'foo', with args beginning with: \r\n");
}

TEST_F(DispatcherTest, WrongArityNamesTheCommandInLowercase) {
  EXPECT_EQ(Run({"GET"}), "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(Run({"get", "a", "b"}), "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(Run({"SET", "k"}), "-ERR wrong number of arguments for 'set' command\r\n");
}

TEST_F(DispatcherTest, CommandNamesAreCaseInsensitive) {
  EXPECT_EQ(Run({"PiNg"}), "+PONG\r\n");
  EXPECT_EQ(Run({"ping", "hello"}), "$5\r\nhello\r\n");
}

TEST_F(DispatcherTest, UnauthenticatedClientGetsNoauthExceptForNoAuthCommands) {
  client_.authenticated = false;
  EXPECT_EQ(Run({"get", "k"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(Run({"quit"}), "+OK\r\n");
  EXPECT_TRUE(client_.close_after_reply);
}

TEST_F(DispatcherTest, WritesAreCountedOnTheWritePathAndReadsAreNot) {
  const uint64_t before = state_.dirty();
  EXPECT_EQ(Run({"set", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(state_.dirty(), before + 1);
  EXPECT_EQ(Run({"get", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(state_.dirty(), before + 1);
}

TEST_F(DispatcherTest, ExpiredKeysAreInvisibleAndPropagatedAsDeletes) {
  EXPECT_EQ(Run({"set", "k", "v", "px", "100"}), "+OK\r\n");
  const uint64_t dirty_before = state_.dirty();
  const uint64_t propagated_before = state_.propagated_commands();
  now_ms_ += 101;
  EXPECT_EQ(Run({"get", "k"}), "$-1\r\n");
  // The expiry's DEL went through the write path without counting as a change.
  EXPECT_EQ(state_.propagated_commands(), propagated_before + 1);
  EXPECT_EQ(state_.dirty(), dirty_before);
  EXPECT_EQ(state_.keyspace().stats().expired_keys, 1u);
}

TEST_F(DispatcherTest, FlushOfAnEmptyDatabaseIsStillPropagated) {
  const uint64_t before = state_.propagated_commands();
  EXPECT_EQ(Run({"flushdb"}), "+OK\r\n");
  EXPECT_EQ(Run({"flushall"}), "+OK\r\n");
  EXPECT_EQ(state_.propagated_commands(), before + 2);
}

TEST_F(DispatcherTest, SelectSwitchesDatabasesAndChecksRange) {
  EXPECT_EQ(Run({"set", "k", "zero"}), "+OK\r\n");
  EXPECT_EQ(Run({"select", "1"}), "+OK\r\n");
  EXPECT_EQ(Run({"get", "k"}), "$-1\r\n");
  EXPECT_EQ(Run({"select", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(Run({"select", "x"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(Run({"select", "0"}), "+OK\r\n");
  EXPECT_EQ(Run({"get", "k"}), "$4\r\nzero\r\n");
}

TEST_F(DispatcherTest, InfoKeyspaceCountsKeysAndExpires) {
  Run({"set", "a", "1"});
  Run({"set", "b", "2", "ex", "100"});
  std::string info = Run({"info", "keyspace"});
  EXPECT_NE(info.find("db0:keys=2,expires=1"), std::string::npos) << info;
  EXPECT_EQ(info.find("# Server"), std::string::npos);
}

TEST_F(DispatcherTest, CommandCountMatchesTheTable) {
  EXPECT_EQ(Run({"command", "count"}),
            ":" + std::to_string(CommandTable::Default().rows().size()) + "\r\n");
  EXPECT_EQ(Run({"command", "foo"}), "-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n");
}

TEST_F(DispatcherTest, ConfigGetMatchesGlobPatterns) {
  std::string reply = Run({"config", "get", "save", "appendonly"});
  EXPECT_EQ(
      reply,
      "*4\r\n$4\r\nsave\r\n$23\r\n3600 1 300 100 60 10000\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
  EXPECT_EQ(Run({"config", "get", "nonexistent*"}), "*0\r\n");
}

TEST_F(DispatcherTest, ShutdownRequestsStopWithoutReplying) {
  EXPECT_EQ(Run({"shutdown", "bogus"}), "-ERR syntax error\r\n");
  EXPECT_FALSE(state_.shutdown_requested());
  EXPECT_EQ(Run({"shutdown", "nosave"}), "");
  EXPECT_TRUE(state_.shutdown_requested());
}

// The delivery point (server/core/wake_queue.h): a client held by CLIENT PAUSE is woken
// by UNPAUSE once the command's reply is complete, not while it runs.
class DeliveryPointTest : public DispatcherTest {
 protected:
  DeliveryPointTest() {
    state_.RegisterClient(&client_);
    held_.id = state_.NextClientId();
    state_.RegisterClient(&held_);
    held_.wake = [this] { wakes_.push_back(output_.size()); };
  }
  ~DeliveryPointTest() override {
    state_.UnregisterClient(&held_);
    state_.UnregisterClient(&client_);
  }
  // Runs a command into output_, the producing connection's output buffer.
  void Send(std::vector<std::string> args) {
    std::vector<std::string_view> views(args.begin(), args.end());
    protocol::ReplyWriter writer(&output_, client_.protocol_version);
    dispatcher_.Execute(views, client_, writer, now_ms_);
  }

  ClientState held_;
  std::string output_;
  std::vector<size_t> wakes_;  // the producer's output size at each wake of held_
};

TEST_F(DeliveryPointTest, UnpauseWakesHeldClientsAfterItsReply) {
  Send({"client", "pause", "60000"});
  state_.HoldForPause(held_);
  ASSERT_TRUE(wakes_.empty());
  Send({"client", "unpause"});
  EXPECT_EQ(output_, "+OK\r\n+OK\r\n");
  EXPECT_EQ(wakes_, (std::vector<size_t>{output_.size()}));
}

TEST_F(DeliveryPointTest, ExecDeliversOnceAfterTheWholeBlock) {
  Send({"client", "pause", "60000"});
  state_.HoldForPause(held_);
  Send({"multi"});
  Send({"client", "unpause"});
  Send({"client", "pause", "60000"});
  Send({"client", "unpause"});
  EXPECT_TRUE(wakes_.empty());  // queued, not run
  Send({"exec"});
  EXPECT_EQ(output_, "+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n+OK\r\n+OK\r\n+OK\r\n");
  EXPECT_EQ(wakes_, (std::vector<size_t>{output_.size()}));
}

// A client that targets itself is woken after its own command, past CLIENT REPLY's muting:
// what it is sent was not a reply to mute.
TEST_F(DeliveryPointTest, AClientTargetingItselfIsWokenAfterItsOwnReplyIsFinal) {
  client_.wake = [this] { output_ += "+WOKEN\r\n"; };
  Send({"client", "pause", "60000"});
  state_.HoldForPause(client_);
  Send({"client", "reply", "off"});
  Send({"client", "unpause"});
  EXPECT_EQ(output_, "+OK\r\n+WOKEN\r\n");
  state_.ReleaseFromPause(client_);
}

}  // namespace
}  // namespace ember::server
