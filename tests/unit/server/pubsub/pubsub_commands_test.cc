// In-process tests of the pub/sub family through the dispatcher: confirmations and messages
// in RESP2 and RESP3, delivery to outboxes in publish order, once per matching
// subscription, shard channels apart from patterns, the RESP2 pub/sub-mode gate, PING's
// shape there, RESET and disconnects leaving nothing registered, and PUBSUB introspection.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/command/dispatcher.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

std::string Bulk(std::string_view s) { return fmt::format("${}\r\n{}\r\n", s.size(), s); }

std::string Message2(std::string_view channel, std::string_view payload) {
  return "*3\r\n" + Bulk("message") + Bulk(channel) + Bulk(payload);
}

class PubSubCommandsTest : public ::testing::Test {
 protected:
  PubSubCommandsTest() : state_(ServerConfig{}), dispatcher_(CommandTable::Default(), state_) {
    for (uint64_t i = 0; i < 3; ++i) {
      clients_[i].id = i + 1;
      state_.RegisterClient(&clients_[i]);
    }
  }
  ~PubSubCommandsTest() override {
    for (ClientState& client : clients_) state_.UnregisterClient(&client);
  }

  std::string Run(int c, const std::vector<std::string>& args) {
    return RunCommand(dispatcher_, clients_[c], args, 1'000'000);
  }
  // Takes what was delivered to client `c`'s outbox.
  std::string Delivered(int c) {
    std::string out;
    out.swap(clients_[c].outbox);
    return out;
  }

  ServerState state_;
  Dispatcher dispatcher_;
  ClientState clients_[3];
};

TEST_F(PubSubCommandsTest, SubscribeConfirmsEachChannelWithTheRunningCount) {
  EXPECT_EQ(Run(0, {"SUBSCRIBE", "a", "b", "a"}),
            "*3\r\n" + Bulk("subscribe") + Bulk("a") + ":1\r\n" + "*3\r\n" + Bulk("subscribe") +
                Bulk("b") + ":2\r\n" + "*3\r\n" + Bulk("subscribe") + Bulk("a") + ":2\r\n");
  EXPECT_TRUE(clients_[0].pubsub_mode);
  EXPECT_EQ(Run(0, {"PSUBSCRIBE", "a*"}), "*3\r\n" + Bulk("psubscribe") + Bulk("a*") + ":3\r\n");
  // Shard subscriptions are counted apart.
  EXPECT_EQ(Run(0, {"SSUBSCRIBE", "s"}), "*3\r\n" + Bulk("ssubscribe") + Bulk("s") + ":1\r\n");
  EXPECT_EQ(Run(0, {"UNSUBSCRIBE", "b", "zz"}), "*3\r\n" + Bulk("unsubscribe") + Bulk("b") +
                                                    ":2\r\n" + "*3\r\n" + Bulk("unsubscribe") +
                                                    Bulk("zz") + ":2\r\n");
  EXPECT_EQ(Run(0, {"PUNSUBSCRIBE"}), "*3\r\n" + Bulk("punsubscribe") + Bulk("a*") + ":1\r\n");
  EXPECT_EQ(Run(0, {"UNSUBSCRIBE"}), "*3\r\n" + Bulk("unsubscribe") + Bulk("a") + ":0\r\n");
  EXPECT_TRUE(clients_[0].pubsub_mode) << "still on a shard channel";
  EXPECT_EQ(Run(0, {"SUNSUBSCRIBE"}), "*3\r\n" + Bulk("sunsubscribe") + Bulk("s") + ":0\r\n");
  EXPECT_FALSE(clients_[0].pubsub_mode);
  // Nothing left: one confirmation with a null name.
  EXPECT_EQ(Run(0, {"UNSUBSCRIBE"}), "*3\r\n" + Bulk("unsubscribe") + "$-1\r\n:0\r\n");
}

TEST_F(PubSubCommandsTest, Resp3ConfirmationsAndMessagesArePushes) {
  clients_[0].protocol_version = 3;
  EXPECT_EQ(Run(0, {"SUBSCRIBE", "ch"}), ">3\r\n" + Bulk("subscribe") + Bulk("ch") + ":1\r\n");
  EXPECT_EQ(Run(0, {"UNSUBSCRIBE", "x"}), ">3\r\n" + Bulk("unsubscribe") + Bulk("x") + ":1\r\n");
  Run(1, {"SUBSCRIBE", "ch"});
  EXPECT_EQ(Run(2, {"PUBLISH", "ch", "hi"}), ":2\r\n");
  EXPECT_EQ(Delivered(0), ">3\r\n" + Bulk("message") + Bulk("ch") + Bulk("hi"));
  EXPECT_EQ(Delivered(1), Message2("ch", "hi"));
  // RESP3 has no restricted mode: any command runs.
  EXPECT_EQ(Run(0, {"GET", "k"}), "_\r\n");
}

TEST_F(PubSubCommandsTest, MessagesArriveInPublishOrderOncePerMatchingSubscription) {
  Run(0, {"SUBSCRIBE", "news.1"});
  Run(0, {"PSUBSCRIBE", "news.*", "*.1", "other*"});
  Run(1, {"SUBSCRIBE", "news.1"});
  EXPECT_EQ(Run(2, {"PUBLISH", "news.1", "first"}), ":4\r\n");
  EXPECT_EQ(Run(2, {"PUBLISH", "news.2", "second"}), ":1\r\n");
  EXPECT_EQ(Run(2, {"PUBLISH", "nobody", "x"}), ":0\r\n");
  const std::string got = Delivered(0);
  // The channel's own message first, then one per matching pattern (in no fixed order).
  EXPECT_TRUE(got.starts_with(Message2("news.1", "first"))) << got;
  const std::string p1 =
      "*4\r\n" + Bulk("pmessage") + Bulk("news.*") + Bulk("news.1") + Bulk("first");
  const std::string p2 = "*4\r\n" + Bulk("pmessage") + Bulk("*.1") + Bulk("news.1") + Bulk("first");
  const std::string p3 =
      "*4\r\n" + Bulk("pmessage") + Bulk("news.*") + Bulk("news.2") + Bulk("second");
  const std::string rest = got.substr(Message2("news.1", "first").size());
  EXPECT_TRUE(rest == p1 + p2 + p3 || rest == p2 + p1 + p3) << rest;
  EXPECT_EQ(Delivered(1), Message2("news.1", "first"));
}

TEST_F(PubSubCommandsTest, ShardChannelsAreTheirOwnNamespaceAndIgnorePatterns) {
  Run(0, {"SSUBSCRIBE", "s"});
  Run(1, {"PSUBSCRIBE", "*"});
  Run(1, {"SUBSCRIBE", "s"});
  EXPECT_EQ(Run(2, {"SPUBLISH", "s", "m"}), ":1\r\n");
  EXPECT_EQ(Delivered(0), "*3\r\n" + Bulk("smessage") + Bulk("s") + Bulk("m"));
  EXPECT_EQ(Delivered(1), "");
  EXPECT_EQ(Run(2, {"PUBLISH", "s", "m"}), ":2\r\n");
  EXPECT_EQ(Delivered(0), "");
}

TEST_F(PubSubCommandsTest, Resp2PubSubModeAllowsOnlySubscriptionCommands) {
  Run(0, {"SUBSCRIBE", "a"});
  EXPECT_EQ(Run(0, {"GET", "k"}),
            "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
            "RESET are allowed in this context\r\n");
  EXPECT_EQ(Run(0, {"CLIENT", "LIST"}).substr(0, 32), "-ERR Can't execute 'client|list'");
  EXPECT_EQ(Run(0, {"PING"}), "*2\r\n" + Bulk("pong") + Bulk(""));
  EXPECT_EQ(Run(0, {"PING", "hey"}), "*2\r\n" + Bulk("pong") + Bulk("hey"));
  EXPECT_EQ(Run(0, {"RESET"}), "+RESET\r\n");
  EXPECT_FALSE(clients_[0].pubsub_mode);
  EXPECT_EQ(Run(0, {"PING"}), "+PONG\r\n");
  EXPECT_EQ(Run(2, {"PUBLISH", "a", "x"}), ":0\r\n");
  EXPECT_EQ(state_.pubsub().channel_count(ChannelKind::kGlobal), 0u);
}

TEST_F(PubSubCommandsTest, DisconnectDropsEverySubscription) {
  Run(0, {"SUBSCRIBE", "a", "b"});
  Run(0, {"PSUBSCRIBE", "p*"});
  Run(0, {"SSUBSCRIBE", "s"});
  Run(1, {"SUBSCRIBE", "a"});
  state_.UnregisterClient(&clients_[0]);
  EXPECT_EQ(Run(2, {"PUBLISH", "a", "x"}), ":1\r\n");
  EXPECT_EQ(state_.pubsub().channel_count(ChannelKind::kGlobal), 1u);
  EXPECT_EQ(state_.pubsub().channel_count(ChannelKind::kShard), 0u);
  EXPECT_EQ(state_.pubsub().pattern_count(), 0u);
  state_.RegisterClient(&clients_[0]);  // the fixture unregisters it again
}

TEST_F(PubSubCommandsTest, PubsubIntrospection) {
  Run(0, {"SUBSCRIBE", "news", "sport"});
  Run(1, {"SUBSCRIBE", "news"});
  Run(1, {"PSUBSCRIBE", "n*", "s*"});
  Run(0, {"PSUBSCRIBE", "n*"});
  Run(1, {"SSUBSCRIBE", "shard"});
  EXPECT_EQ(
      Run(2, {"PUBSUB", "NUMSUB", "news", "sport", "none"}),
      "*6\r\n" + Bulk("news") + ":2\r\n" + Bulk("sport") + ":1\r\n" + Bulk("none") + ":0\r\n");
  EXPECT_EQ(Run(2, {"PUBSUB", "NUMSUB"}), "*0\r\n");
  EXPECT_EQ(Run(2, {"PUBSUB", "NUMPAT"}), ":2\r\n");
  EXPECT_EQ(Run(2, {"PUBSUB", "CHANNELS", "s*"}), "*1\r\n" + Bulk("sport"));
  const std::string all = Run(2, {"PUBSUB", "CHANNELS"});
  EXPECT_TRUE(all == "*2\r\n" + Bulk("news") + Bulk("sport") ||
              all == "*2\r\n" + Bulk("sport") + Bulk("news"))
      << all;
  EXPECT_EQ(Run(2, {"PUBSUB", "SHARDCHANNELS"}), "*1\r\n" + Bulk("shard"));
  EXPECT_EQ(Run(2, {"PUBSUB", "SHARDNUMSUB", "shard"}), "*2\r\n" + Bulk("shard") + ":1\r\n");
  EXPECT_EQ(Run(2, {"PUBSUB", "CHANNELS", "a", "b"}),
            "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB "
            "HELP.\r\n");
  EXPECT_EQ(Run(2, {"PUBSUB", "NUMPAT", "x"}),
            "-ERR wrong number of arguments for 'pubsub|numpat' command\r\n");
}

TEST_F(PubSubCommandsTest, MessagesFromATransactionArriveAfterExec) {
  Run(0, {"SUBSCRIBE", "c"});
  Run(1, {"MULTI"});
  Run(1, {"PUBLISH", "c", "1"});
  Run(1, {"PUBLISH", "c", "2"});
  EXPECT_EQ(Delivered(0), "");
  EXPECT_EQ(Run(1, {"EXEC"}), "*2\r\n:1\r\n:1\r\n");
  EXPECT_EQ(Delivered(0), Message2("c", "1") + Message2("c", "2"));
  Run(1, {"MULTI"});
  EXPECT_EQ(Run(1, {"SSUBSCRIBE", "s"}), "+QUEUED\r\n");
  EXPECT_EQ(Run(1, {"EXEC"}), "*1\r\n-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n");
}

}  // namespace
}  // namespace ember::server
