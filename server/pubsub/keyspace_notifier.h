// KeyspaceNotifier: Redis's keyspace notifications, published through PubSubRegistry on
// __keyspace@<db>__:<key> (the event as message) and __keyevent@<db>__:<event> (the key as
// message), for the classes `notify-keyspace-events` enables (keyspace_events.h).
//
// Who raises what:
// - Commands raise their own events (Redis's names: "set", "lpush", "expire", "rename_from"
//   ...) through CommandContext::Notify, at the point Redis raises them.
// - The keyspace raises the rest through ServerState's observer hooks, so no command can
//   forget them: "new" when a key is added, "expired" and "evicted" when the engine removes
//   a key, "keymiss" when a read finds nothing, and "del" when a write leaves a collection
//   empty.
//
// Ordering. Redis raises a command's event right after each change, and the "del" of a
// collection the command emptied right after that event ("lpop", then "del"). Ember's
// storage operations finish their changes before the command raises anything, so the key
// life events are queued in the order they happened, and:
// - a "del" of an emptied key waits in the queue until the command raises its event for
//   that key (or the command ends), and everything queued behind it waits with it;
// - a "new" with nothing waiting before it is published at once (RENAME: "new" for the
//   target, then "rename_from", "rename_to"); one queued behind a "del" is published when
//   the queue reaches it, or just before the command's first event for its key (SMOVE that
//   empties its source: "srem" src, "del" src, "new" dst, "sadd" dst; LMOVE: "new" dst,
//   "rpush" dst, "lpop" src, "del" src).
// The end of the command publishes whatever is still queued, in order.
//
// Messages reach subscribers at the delivery point of the command, like any PUBLISH.
// Threading: engine thread only. Owned by ServerState.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "server/pubsub/keyspace_events.h"
#include "server/pubsub/pubsub_registry.h"

namespace ember::server {

class KeyspaceNotifier {
 public:
  explicit KeyspaceNotifier(PubSubRegistry& pubsub) : pubsub_(pubsub) {}

  // The classes in effect (notify-keyspace-events).
  void set_flags(uint32_t flags) { flags_ = flags; }
  uint32_t flags() const { return flags_; }
  // Whether any event can be published: a channel kind (K or E) and an event class are on.
  bool active() const {
    return (flags_ & (kNotifyKeyspace | kNotifyKeyevent)) != 0 &&
           (flags_ & ~(kNotifyKeyspace | kNotifyKeyevent)) != 0;
  }

  // A command's event for `key` of `db`, with the queued key life events it releases.
  void Raise(uint32_t event_class, std::string_view event, int db, std::string_view key);
  // An event the keyspace raises that never waits ("expired", "evicted", "keymiss").
  void RaiseNow(uint32_t event_class, std::string_view event, int db, std::string_view key) {
    if (flags_ & event_class) Publish(event, db, key);
  }
  // Key life events: a key added, a collection emptied and deleted by a write.
  void KeyCreated(int db, std::string_view key);
  void KeyEmptied(int db, std::string_view key);
  // The end of a command: publishes what is still queued.
  void ReleaseHeld();

 private:
  struct Queued {
    int db;
    std::string key;
    bool emptied;  // a "del" that waits for its key's event; else a "new"
  };

  void Publish(std::string_view event, int db, std::string_view key);
  void PublishQueued(const Queued& item);
  // Publishes queued items from the front up to the first "del" still waiting.
  void FlushFront();

  PubSubRegistry& pubsub_;
  uint32_t flags_ = 0;
  std::deque<Queued> queue_;
  std::string channel_;  // scratch for channel names
};

}  // namespace ember::server
