// Pub/sub side by side with redis-server 7.0 (scenario_side_by_side.h): subscribers on
// channels, patterns and shard channels, publishers, unsubscribes in between, in RESP2 and
// RESP3 — the message streams and every reply must be byte-identical. Covered: confirmations
// and their counts, publish order, one message per matching subscription, shard channels
// apart from patterns, RESP2's pub/sub mode (the allowed commands, Redis's error, PING's
// shape, RESET), RESP3 pushes between ordinary replies, messages published inside MULTI
// arriving after EXEC, a subscriber that disconnects, and PUBSUB's counts. Where Redis's
// order is its dictionary's (unsubscribe-all from several channels, several matching
// patterns), a scenario keeps to one so the streams stay comparable.
#include <gtest/gtest.h>

#include "tests/integration/scenario_side_by_side.h"

namespace ember::test {
namespace {

void ChannelsInPublishOrder(BlockingScript& s) {
  s.Call(1, {"SUBSCRIBE", "news", "sport", "news"}).Receive(1).Receive(1);
  s.Call(2, {"PUBLISH", "news", "one"}).Receive(1);
  s.Call(2, {"PUBLISH", "sport", "two"}).Call(2, {"PUBLISH", "news", "three"});
  s.Receive(1).Receive(1).Nothing(1);
  s.Call(2, {"PUBLISH", "weather", "nobody"}).Nothing(1);
  s.Call(1, {"UNSUBSCRIBE", "news", "never"}).Receive(1);
  s.Call(2, {"PUBLISH", "news", "gone"}).Call(2, {"PUBLISH", "sport", "still"}).Receive(1);
  s.Call(1, {"UNSUBSCRIBE"}).Call(1, {"UNSUBSCRIBE"}).Call(1, {"PUNSUBSCRIBE"});
  s.Call(1, {"PING"}).Call(1, {"GET", "k"});
}

void SeveralSubscribersInSubscribeOrder(BlockingScript& s) {
  s.Call(1, {"SUBSCRIBE", "c"}).Call(2, {"SUBSCRIBE", "c"}).Call(3, {"SUBSCRIBE", "c"});
  s.Call(4, {"PUBLISH", "c", "m1"}).Receive(1).Receive(2).Receive(3);
  s.Close(2).Sleep(100).Call(4, {"PUBLISH", "c", "m2"}).Receive(1).Receive(3);
  s.Call(4, {"PUBSUB", "NUMSUB", "c", "d"}).Call(4, {"PUBSUB", "CHANNELS"});
  s.Call(3, {"UNSUBSCRIBE", "c"}).Call(4, {"PUBLISH", "c", "m3"}).Receive(1).Nothing(3);
}

void PatternsAndChannelsTogether(BlockingScript& s) {
  s.Call(1, {"PSUBSCRIBE", "news.*"}).Call(1, {"SUBSCRIBE", "news.1"});
  // Client 2's patterns never match one channel twice: the order of two pmessages for one
  // publish is Redis's dictionary order.
  s.Call(2, {"PSUBSCRIBE", "news.*", "*.9", "h?llo", "x[ab]y"}).Receive(2).Receive(2).Receive(2);
  s.Call(3, {"PUBLISH", "news.1", "a"}).Receive(1).Receive(1).Nothing(1).Receive(2);
  s.Call(3, {"PUBLISH", "news.2", "b"}).Receive(1).Receive(2).Nothing(2);
  s.Call(3, {"PUBLISH", "x.9", "c"}).Receive(2).Nothing(1);
  s.Call(3, {"PUBLISH", "hallo", "c"}).Receive(2).Call(3, {"PUBLISH", "xby", "d"}).Receive(2);
  s.Call(3, {"PUBLISH", "xcy", "e"}).Call(3, {"PUBSUB", "NUMPAT"});
  s.Call(3, {"PUBSUB", "CHANNELS", "news*"}).Call(3, {"PUBSUB", "NUMSUB", "news.1"});
  s.Call(2, {"PUNSUBSCRIBE", "news.*", "*.9", "nope"}).Receive(2).Receive(2);
  s.Call(3, {"PUBSUB", "NUMPAT"}).Call(1, {"PUNSUBSCRIBE"}).Call(3, {"PUBSUB", "NUMPAT"});
}

void ShardChannelsStandApart(BlockingScript& s) {
  s.Call(1, {"SSUBSCRIBE", "s1", "s2"}).Receive(1).Call(1, {"SUBSCRIBE", "s1"});
  s.Call(2, {"PSUBSCRIBE", "*"});
  s.Call(3, {"SPUBLISH", "s1", "sharded"}).Receive(1).Nothing(2);
  s.Call(3, {"PUBLISH", "s1", "plain"}).Receive(1).Receive(2);
  s.Call(3, {"PUBSUB", "SHARDCHANNELS", "s1"}).Call(3, {"PUBSUB", "SHARDNUMSUB", "s1", "s3"});
  s.Call(3, {"PUBSUB", "NUMSUB", "s2"});
  s.Call(1, {"SUNSUBSCRIBE", "s1"}).Call(1, {"UNSUBSCRIBE"}).Call(1, {"SUNSUBSCRIBE"});
  s.Call(1, {"SUNSUBSCRIBE"}).Call(3, {"SPUBLISH", "s2", "x"}).Nothing(1);
}

// RESP2: only (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET, with Redis's error; RESP3: anything,
// and messages arrive as pushes between the replies.
void WhatASubscriberMayRun(BlockingScript& s) {
  s.Call(1, {"SUBSCRIBE", "c"}).Call(1, {"GET", "k"}).Call(1, {"CONFIG", "GET", "maxmemory"});
  s.Call(1, {"PING"}).Call(1, {"PING", "hello"}).Call(1, {"MULTI"});
  s.Call(2, {"PUBLISH", "c", "between"}).Receive(1).Call(1, {"ECHO", "x"});
  s.Call(1, {"PSUBSCRIBE", "p*"}).Call(1, {"RESET"}).Call(2, {"PUBLISH", "c", "after reset"});
  s.Nothing(1).Call(1, {"GET", "k"}).Call(2, {"PUBSUB", "NUMPAT"});
}

void TransactionsPublishAtExec(BlockingScript& s) {
  s.Call(1, {"SUBSCRIBE", "c"});
  s.Call(2, {"MULTI"}).Call(2, {"PUBLISH", "c", "1"}).Call(2, {"SET", "k", "v"});
  s.Call(2, {"PUBLISH", "c", "2"}).Nothing(1).Call(2, {"EXEC"}).Receive(1).Receive(1);
  s.Call(2, {"MULTI"}).Call(2, {"PUBLISH", "c", "3"}).Call(2, {"DISCARD"}).Nothing(1);
  s.Call(2, {"MULTI"}).Call(2, {"SSUBSCRIBE", "s"}).Call(2, {"EXEC"});
}

void SelfDeliveryAndBinaryPayloads(BlockingScript& s) {
  s.Call(1, {"SUBSCRIBE", "me", std::string("bin\0\r\nary", 9)}).Receive(1);
  s.Call(2, {"PUBLISH", std::string("bin\0\r\nary", 9), std::string("\r\n\0payload", 10)});
  s.Receive(1).Call(2, {"PUBLISH", "me", ""}).Receive(1);
  s.Call(2, {"PUBLISH", "me", std::string(100'000, 'x')}).Receive(1);
}

void ArityAndSubcommandErrors(BlockingScript& s) {
  s.Call(1, {"SUBSCRIBE"}).Call(1, {"PSUBSCRIBE"}).Call(1, {"SSUBSCRIBE"});
  s.Call(1, {"PUBLISH", "c"}).Call(1, {"SPUBLISH", "c", "m", "x"});
  s.Call(1, {"PUBSUB"}).Call(1, {"PUBSUB", "NOPE"}).Call(1, {"PUBSUB", "CHANNELS", "a", "b"});
  s.Call(1, {"PUBSUB", "NUMPAT", "x"}).Call(1, {"PUBSUB", "SHARDCHANNELS", "a", "b"});
  s.Call(1, {"PUBSUB", "HELP", "x"})
      .Call(1, {"PUBSUB", "NUMSUB"})
      .Call(1, {"PUBSUB", "SHARDNUMSUB"});
}

// Confirmations and messages are pushes to Redis: CLIENT REPLY OFF and SKIP do not mute them.
void ConfirmationsDespiteRepliesOff(BlockingScript& s) {
  s.Send(1, {"CLIENT", "REPLY", "SKIP"}).Send(1, {"SUBSCRIBE", "c", "d"}).Receive(1).Receive(1);
  s.Call(1, {"PING"}).Call(2, {"PUBLISH", "c", "m"}).Receive(1);
  s.Send(3, {"CLIENT", "REPLY", "OFF"}).Send(3, {"SUBSCRIBE", "x"}).Receive(3);
  s.Call(2, {"PUBLISH", "x", "m"}).Receive(3).Send(3, {"PING"}).Nothing(3);
  s.Send(3, {"UNSUBSCRIBE", "x"}).Receive(3).Send(3, {"GET", "k"}).Nothing(3);
}

const NamedScenario kScenarios[] = {
    {"ChannelsInPublishOrder", ChannelsInPublishOrder},
    {"SeveralSubscribersInSubscribeOrder", SeveralSubscribersInSubscribeOrder},
    {"PatternsAndChannelsTogether", PatternsAndChannelsTogether},
    {"ShardChannelsStandApart", ShardChannelsStandApart},
    {"WhatASubscriberMayRun", WhatASubscriberMayRun},
    {"TransactionsPublishAtExec", TransactionsPublishAtExec},
    {"SelfDeliveryAndBinaryPayloads", SelfDeliveryAndBinaryPayloads},
    {"ArityAndSubcommandErrors", ArityAndSubcommandErrors},
    {"ConfirmationsDespiteRepliesOff", ConfirmationsDespiteRepliesOff},
};

INSTANTIATE_TEST_SUITE_P(PubSub, ScenarioSideBySideTest, ::testing::ValuesIn(kScenarios),
                         ScenarioName);

}  // namespace
}  // namespace ember::test
