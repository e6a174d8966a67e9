// KeyspaceNotifier: Redis's keyspace notifications, published through PubSubRegistry on
// __keyspace@<db>__:<key> (the event as message) and __keyevent@<db>__:<event> (the key as
// message), for the classes `notify-keyspace-events` enables (keyspace_events.h).
//
// Who raises what:
// - Commands raise their own events (Redis's names: "set", "lpush", "expire", "rename_from"
//   ...) through CommandContext::Notify, at the point Redis raises them.
// - The keyspace raises the rest through ServerState's observer hooks, so no command can
//   forget them: "new" when a key is added (at once, as Redis's dbAdd does), "expired" and
//   "evicted" when the engine removes a key, "keymiss" when a read finds nothing, and "del"
//   when a write leaves a collection empty. That "del" is held until the command has raised
//   its own event for the key (Redis raises "lpop" before the "del" of the list it emptied),
//   and released at the end of the command otherwise.
//
// Messages reach subscribers at the delivery point of the command, like any PUBLISH.
// Threading: engine thread only. Owned by ServerState.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

  // A command's event for `key` of `db`, followed by the key's held "del" if it has one.
  void Raise(uint32_t event_class, std::string_view event, int db, std::string_view key);
  // An event raised by the keyspace itself, published at once ("new", "expired"...).
  void RaiseNow(uint32_t event_class, std::string_view event, int db, std::string_view key) {
    if (flags_ & event_class) Publish(event, db, key);
  }
  // A collection emptied and deleted by a write: its "del" waits for the command's event.
  void HoldEmptiedDel(int db, std::string_view key);
  // The end of a command: releases the "del"s no event of the command released.
  void ReleaseHeld();

 private:
  void Publish(std::string_view event, int db, std::string_view key);

  struct HeldDel {
    int db;
    std::string key;
  };

  PubSubRegistry& pubsub_;
  uint32_t flags_ = 0;
  std::vector<HeldDel> held_;
  std::string channel_;  // scratch for channel names
};

}  // namespace ember::server
