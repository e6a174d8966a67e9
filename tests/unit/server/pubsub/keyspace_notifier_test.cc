// In-process tests of keyspace notifications where a side-by-side script cannot reach
// deterministically: evictions, the held "del" of an emptied collection (released after the
// command's own event for the key, or at the command's end), the class string's parsing and
// canonical form, and the keyspace's life events switched off while nothing can be published.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/command/dispatcher.h"
#include "server/pubsub/keyspace_events.h"
#include "tests/unit/server/run_command.h"

namespace ember::server {
namespace {

class KeyspaceNotifierTest : public ::testing::Test {
 protected:
  KeyspaceNotifierTest() : state_(ServerConfig{}), dispatcher_(CommandTable::Default(), state_) {
    subscriber_.id = 1;
    writer_.id = 2;
    state_.RegisterClient(&subscriber_);
    state_.RegisterClient(&writer_);
    Run(subscriber_, {"PSUBSCRIBE", "__keyevent@*"});
    subscriber_.outbox.clear();
  }
  ~KeyspaceNotifierTest() override {
    state_.UnregisterClient(&subscriber_);
    state_.UnregisterClient(&writer_);
  }

  std::string Run(ClientState& client, const std::vector<std::string>& args) {
    return RunCommand(dispatcher_, client, args, 1'000'000);
  }
  void SetClasses(const std::string& classes) {
    ASSERT_EQ(Run(writer_, {"CONFIG", "SET", "notify-keyspace-events", classes}), "+OK\r\n");
  }
  // The events delivered to the subscriber since the last call, as "event key" lines.
  std::vector<std::string> Events() {
    std::vector<std::string> events;
    const std::string prefix = "__keyevent@0__:";
    std::string& box = subscriber_.outbox;
    for (size_t at = box.find(prefix); at != std::string::npos; at = box.find(prefix, at + 1)) {
      const size_t event_end = box.find('\r', at);
      const std::string event = box.substr(at + prefix.size(), event_end - at - prefix.size());
      const size_t key_start = box.find('\n', box.find('\n', event_end) + 1) + 1;
      events.push_back(event + " " + box.substr(key_start, box.find('\r', key_start) - key_start));
    }
    box.clear();
    return events;
  }

  ServerState state_;
  Dispatcher dispatcher_;
  ClientState subscriber_;
  ClientState writer_;
};

TEST_F(KeyspaceNotifierTest, EvictionsAndExpiriesRaiseTheirEvents) {
  SetClasses("Eex");
  state_.OnKeyRemoved(0, "gone", storage::RemovalCause::kEvicted);
  state_.OnKeyRemoved(0, "old", storage::RemovalCause::kExpired);
  state_.wakeups().Deliver();
  EXPECT_EQ(Events(), (std::vector<std::string>{"evicted gone", "expired old"}));
  SetClasses("Ex");
  state_.OnKeyRemoved(0, "gone", storage::RemovalCause::kEvicted);
  state_.wakeups().Deliver();
  EXPECT_TRUE(Events().empty());
}

TEST_F(KeyspaceNotifierTest, AnEmptiedCollectionsDelFollowsTheCommandsEvent) {
  SetClasses("EA");
  KeyspaceNotifier& notifier = state_.notifier();
  notifier.KeyEmptied(0, "list");
  notifier.KeyEmptied(0, "other");
  notifier.Raise(kNotifyList, "lpop", 0, "list");
  notifier.ReleaseHeld();
  state_.wakeups().Deliver();
  EXPECT_EQ(Events(), (std::vector<std::string>{"lpop list", "del list", "del other"}));
  // A del held for a class that is off is not kept.
  SetClasses("El");
  notifier.KeyEmptied(0, "list");
  notifier.Raise(kNotifyList, "lpop", 0, "list");
  notifier.ReleaseHeld();
  state_.wakeups().Deliver();
  EXPECT_EQ(Events(), (std::vector<std::string>{"lpop list"}));
}

TEST_F(KeyspaceNotifierTest, NewKeysQueuedBehindAnEmptiedKeyKeepRedisOrder) {
  SetClasses("EAn");
  KeyspaceNotifier& notifier = state_.notifier();
  // RENAME: "new" with nothing queued goes out at once, before the command's events.
  notifier.KeyCreated(0, "to");
  notifier.Raise(kNotifyGeneric, "rename_from", 0, "from");
  notifier.Raise(kNotifyGeneric, "rename_to", 0, "to");
  // SMOVE emptying its source: the source's "del" follows "srem", then the target's "new".
  notifier.KeyEmptied(0, "src");
  notifier.KeyCreated(0, "dst");
  notifier.Raise(kNotifySet, "srem", 0, "src");
  notifier.Raise(kNotifySet, "sadd", 0, "dst");
  // LMOVE emptying its source: the target's "new" goes just before the target's event.
  notifier.KeyEmptied(0, "l1");
  notifier.KeyCreated(0, "l2");
  notifier.Raise(kNotifyList, "rpush", 0, "l2");
  notifier.Raise(kNotifyList, "lpop", 0, "l1");
  notifier.ReleaseHeld();
  state_.wakeups().Deliver();
  EXPECT_EQ(Events(), (std::vector<std::string>{"new to", "rename_from from", "rename_to to",
                                                "srem src", "del src", "new dst", "sadd dst",
                                                "new l2", "rpush l2", "lpop l1", "del l1"}));
}

TEST_F(KeyspaceNotifierTest, KeyLifeEventsAreOffUnlessSomethingCanBePublished) {
  EXPECT_FALSE(state_.keyspace().key_events());
  SetClasses("A");  // no channel kind: nothing can be published
  EXPECT_FALSE(state_.keyspace().key_events());
  SetClasses("K");  // no event class
  EXPECT_FALSE(state_.keyspace().key_events());
  SetClasses("Kn");
  EXPECT_TRUE(state_.keyspace().key_events());
  SetClasses("");
  EXPECT_FALSE(state_.keyspace().key_events());
}

TEST(KeyspaceEventsTest, ParsesAndFormatsAsRedisDoes) {
  EXPECT_EQ(ParseKeyspaceEvents(""), 0u);
  EXPECT_EQ(ParseKeyspaceEvents("KEA"), kNotifyKeyspace | kNotifyKeyevent | kNotifyAll);
  EXPECT_FALSE(ParseKeyspaceEvents("KEQ").has_value());
  EXPECT_EQ(FormatKeyspaceEvents(*ParseKeyspaceEvents("EKg$")), "g$KE");
  // "A" covers g$lshzxetd; n and m stay outside it, and n is not shown next to A.
  EXPECT_EQ(FormatKeyspaceEvents(*ParseKeyspaceEvents("g$lshzxetdKE")), "AKE");
  EXPECT_EQ(FormatKeyspaceEvents(*ParseKeyspaceEvents("AnmE")), "AEm");
  EXPECT_EQ(FormatKeyspaceEvents(*ParseKeyspaceEvents("nK")), "nK");
}

}  // namespace
}  // namespace ember::server
