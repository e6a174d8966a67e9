// In-process tests of MULTI/EXEC/DISCARD/WATCH through the dispatcher: queuing gates, the
// EXEC outcomes, WATCH invalidation by other clients, expiry and flushes, and the write path
// seeing a transaction as one MULTI ... EXEC block.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/command/dispatcher.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  TransactionTest() : state_(ServerConfig{}), dispatcher_(CommandTable::Default(), state_) {
    client_.id = 1;
    state_.RegisterClient(&client_);
    other_.id = 2;
    state_.RegisterClient(&other_);
    state_.set_propagation_listener([this](int db, std::span<const std::string_view> argv) {
      std::string line = std::to_string(db) + ":";
      for (std::string_view arg : argv) line += " " + std::string(arg);
      propagated_.push_back(line);
    });
  }
  ~TransactionTest() override {
    state_.UnregisterClient(&client_);
    state_.UnregisterClient(&other_);
  }

  std::string RunAs(ClientState& client, std::vector<std::string> args) {
    return RunCommand(dispatcher_, client, args, now_ms_);
  }
  std::string Run(std::vector<std::string> args) { return RunAs(client_, std::move(args)); }

  ServerState state_;
  Dispatcher dispatcher_;
  ClientState client_;
  ClientState other_;
  int64_t now_ms_ = 1'700'000'000'000;
  std::vector<std::string> propagated_;
};

TEST_F(TransactionTest, QueuedCommandsRunInOrderAtExec) {
  EXPECT_EQ(Run({"multi"}), "+OK\r\n");
  EXPECT_EQ(Run({"set", "k", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(Run({"incr", "k"}), "+QUEUED\r\n");
  EXPECT_EQ(Run({"get", "k"}), "+QUEUED\r\n");
  EXPECT_EQ(RunAs(other_, {"get", "k"}), "$-1\r\n");  // nothing ran yet
  EXPECT_EQ(Run({"exec"}), "*3\r\n+OK\r\n:2\r\n$1\r\n2\r\n");
  EXPECT_EQ(Run({"exec"}), "-ERR EXEC without MULTI\r\n");
}

TEST_F(TransactionTest, RuntimeErrorsAreElementsOfTheExecReply) {
  Run({"set", "k", "abc"});
  Run({"multi"});
  Run({"incr", "k"});
  Run({"set", "j", "1"});
  EXPECT_EQ(Run({"exec"}), "*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n");
  EXPECT_EQ(Run({"get", "j"}), "$1\r\n1\r\n");
}

TEST_F(TransactionTest, QueueTimeErrorsAbortTheWholeTransaction) {
  Run({"multi"});
  EXPECT_EQ(Run({"set", "k", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(Run({"get"}), "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(Run({"exec"}), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  EXPECT_EQ(Run({"exists", "k"}), ":0\r\n");

  Run({"multi"});
  Run({"nosuch"});
  EXPECT_EQ(Run({"exec"}), "-EXECABORT Transaction discarded because of previous errors.\r\n");
}

TEST_F(TransactionTest, NoMultiCommandsAndNestingAreRejected) {
  Run({"multi"});
  EXPECT_EQ(Run({"multi"}), "-ERR MULTI calls can not be nested\r\n");
  EXPECT_EQ(Run({"watch", "k"}), "-ERR WATCH inside MULTI is not allowed\r\n");
  EXPECT_EQ(Run({"set", "k", "1"}), "+QUEUED\r\n");
  // Neither error above flags the transaction.
  EXPECT_EQ(Run({"exec"}), "*1\r\n+OK\r\n");
  Run({"multi"});
  EXPECT_EQ(Run({"shutdown"}), "-ERR Command not allowed inside a transaction\r\n");
  EXPECT_EQ(Run({"exec"}), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  EXPECT_FALSE(state_.shutdown_requested());
}

TEST_F(TransactionTest, ExecWithArgumentsEndsTheTransaction) {
  Run({"multi"});
  EXPECT_EQ(Run({"exec", "x"}),
            "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' "
            "command\r\n");
  EXPECT_EQ(Run({"exec"}), "-ERR EXEC without MULTI\r\n");
}

TEST_F(TransactionTest, DiscardDropsTheQueue) {
  EXPECT_EQ(Run({"discard"}), "-ERR DISCARD without MULTI\r\n");
  Run({"multi"});
  Run({"set", "k", "1"});
  EXPECT_EQ(Run({"discard"}), "+OK\r\n");
  EXPECT_EQ(Run({"exists", "k"}), ":0\r\n");
}

TEST_F(TransactionTest, WatchedKeyChangedByAnotherClientAbortsExec) {
  EXPECT_EQ(Run({"watch", "k"}), "+OK\r\n");
  EXPECT_EQ(RunAs(other_, {"set", "k", "x"}), "+OK\r\n");
  Run({"multi"});
  Run({"set", "k", "mine"});
  EXPECT_EQ(Run({"exec"}), "*-1\r\n");
  EXPECT_EQ(Run({"get", "k"}), "$1\r\nx\r\n");
  // The abort also unwatched: the next transaction runs.
  RunAs(other_, {"set", "k", "y"});
  Run({"multi"});
  Run({"set", "k", "mine"});
  EXPECT_EQ(Run({"exec"}), "*1\r\n+OK\r\n");
}

TEST_F(TransactionTest, AbortedExecIsANullInResp3) {
  client_.protocol_version = 3;
  Run({"watch", "k"});
  RunAs(other_, {"set", "k", "x"});
  Run({"multi"});
  EXPECT_EQ(Run({"exec"}), "_\r\n");
}

TEST_F(TransactionTest, UnchangedAndUnwatchedKeysLetExecRun) {
  Run({"set", "k", "1"});
  Run({"watch", "k", "other"});
  RunAs(other_, {"get", "k"});       // reads do not count
  RunAs(other_, {"set", "j", "1"});  // nor do other keys
  Run({"multi"});
  Run({"incr", "k"});
  EXPECT_EQ(Run({"exec"}), "*1\r\n:2\r\n");

  Run({"watch", "k"});
  RunAs(other_, {"set", "k", "5"});
  EXPECT_EQ(Run({"unwatch"}), "+OK\r\n");
  Run({"multi"});
  Run({"incr", "k"});
  EXPECT_EQ(Run({"exec"}), "*1\r\n:6\r\n");
}

TEST_F(TransactionTest, WatchIsPerDatabase) {
  Run({"watch", "k"});
  RunAs(other_, {"select", "1"});
  RunAs(other_, {"set", "k", "x"});
  Run({"multi"});
  Run({"ping"});
  EXPECT_EQ(Run({"exec"}), "*1\r\n+PONG\r\n");
}

TEST_F(TransactionTest, WatchedKeyThatExpiresAbortsExec) {
  Run({"set", "k", "v", "px", "100"});
  Run({"watch", "k"});
  Run({"multi"});
  Run({"ping"});
  now_ms_ += 200;  // expired but not yet deleted by anyone
  EXPECT_EQ(Run({"exec"}), "*-1\r\n");
}

TEST_F(TransactionTest, WatchedKeyDeletedByLazyExpiryAbortsExec) {
  Run({"set", "k", "v", "px", "100"});
  Run({"watch", "k"});
  now_ms_ += 200;
  EXPECT_EQ(RunAs(other_, {"get", "k"}), "$-1\r\n");
  Run({"multi"});
  EXPECT_EQ(Run({"exec"}), "*-1\r\n");
}

TEST_F(TransactionTest, KeyAlreadyExpiredAtWatchIsNoChangeWhenReclaimed) {
  Run({"set", "k", "v", "px", "100"});
  now_ms_ += 200;
  Run({"watch", "k"});
  RunAs(other_, {"get", "k"});  // lazy expiry deletes it: it stays missing
  Run({"multi"});
  Run({"ping"});
  EXPECT_EQ(Run({"exec"}), "*1\r\n+PONG\r\n");
}

TEST_F(TransactionTest, FlushTouchesWatchedKeysThatExist) {
  Run({"set", "k", "v"});
  Run({"watch", "k", "missing"});
  RunAs(other_, {"flushall"});
  Run({"multi"});
  EXPECT_EQ(Run({"exec"}), "*-1\r\n");

  Run({"watch", "missing"});
  RunAs(other_, {"flushdb"});  // the watched key did not exist: no change
  Run({"multi"});
  EXPECT_EQ(Run({"exec"}), "*0\r\n");
}

TEST_F(TransactionTest, SwapDbTouchesKeysOnEitherSide) {
  RunAs(other_, {"select", "1"});
  RunAs(other_, {"set", "k", "in-db1"});
  Run({"watch", "k"});  // missing in db 0, present in db 1
  RunAs(other_, {"swapdb", "0", "1"});
  Run({"multi"});
  EXPECT_EQ(Run({"exec"}), "*-1\r\n");
  EXPECT_EQ(Run({"get", "k"}), "$6\r\nin-db1\r\n");
}

TEST_F(TransactionTest, ChangesInsideTheOwnTransactionDoNotAbortIt) {
  Run({"watch", "k"});
  Run({"multi"});
  Run({"set", "k", "1"});
  Run({"set", "k", "2"});
  EXPECT_EQ(Run({"exec"}), "*2\r\n+OK\r\n+OK\r\n");
}

TEST_F(TransactionTest, DisconnectingClientIsUnwatched) {
  ClientState gone;
  gone.id = 3;
  state_.RegisterClient(&gone);
  RunAs(gone, {"watch", "k"});
  EXPECT_EQ(state_.watches().watched_key_count(), 1u);
  state_.UnregisterClient(&gone);
  EXPECT_EQ(state_.watches().watched_key_count(), 0u);
  EXPECT_FALSE(state_.keyspace().track_modifications());
  Run({"set", "k", "v"});  // must not touch the dead client
}

TEST_F(TransactionTest, TransactionWritesPropagateAsOneBlock) {
  Run({"multi"});
  Run({"set", "a", "1"});
  Run({"get", "a"});
  Run({"set", "b", "2"});
  Run({"exec"});
  EXPECT_EQ(propagated_,
            (std::vector<std::string>{"0: MULTI", "0: set a 1", "0: set b 2", "0: EXEC"}));
}

TEST_F(TransactionTest, SingleOrNoWriteInTransactionIsNotBracketed) {
  Run({"multi"});
  Run({"set", "a", "1"});
  Run({"get", "a"});
  Run({"exec"});
  Run({"multi"});
  Run({"get", "a"});
  Run({"exec"});
  Run({"multi"});
  Run({"set", "a", "1"});
  Run({"discard"});
  EXPECT_EQ(propagated_, (std::vector<std::string>{"0: set a 1"}));
}

TEST_F(TransactionTest, PropagationBlockFollowsSelectInsideTransaction) {
  Run({"multi"});
  Run({"set", "a", "1"});
  Run({"select", "2"});
  Run({"set", "b", "2"});
  Run({"exec"});
  EXPECT_EQ(propagated_,
            (std::vector<std::string>{"0: MULTI", "0: set a 1", "2: set b 2", "2: EXEC"}));
  EXPECT_EQ(client_.db_index, 2);
}

TEST_F(TransactionTest, ExpiryDeletionsInsideExecAreNotHeldInTheBlock) {
  Run({"set", "t", "1", "pxat", std::to_string(now_ms_ + 10)});
  propagated_.clear();
  Run({"multi"});
  Run({"get", "t"});
  Run({"set", "u", "1"});
  Run({"set", "v", "1"});
  now_ms_ += 20;
  Run({"exec"});
  EXPECT_EQ(propagated_, (std::vector<std::string>{"0: DEL t", "0: MULTI", "0: set u 1",
                                                   "0: set v 1", "0: EXEC"}));
}

TEST_F(TransactionTest, CommandsOutsideTransactionsReachTheListenerAsSent) {
  Run({"set", "a", "1"});
  Run({"get", "a"});
  Run({"del", "a", "b"});
  EXPECT_EQ(propagated_, (std::vector<std::string>{"0: set a 1", "0: del a b"}));
}

TEST_F(TransactionTest, QueuedCommandsOwnTheirArguments) {
  Run({"multi"});
  {
    std::string key = "key-that-dies";
    std::string value(100, 'v');
    std::vector<std::string_view> views = {"set", key, value};
    std::string out;
    protocol::ReplyWriter writer(&out);
    dispatcher_.Execute(views, client_, writer, now_ms_);
    key.assign(key.size(), 'X');
    value.assign(value.size(), 'X');
  }
  Run({"exec"});
  EXPECT_EQ(Run({"strlen", "key-that-dies"}), ":100\r\n");
}

}  // namespace
}  // namespace ember::server
