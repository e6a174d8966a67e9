#include "server/pubsub/keyspace_notifier.h"

#include <fmt/format.h>

#include <algorithm>

namespace ember::server {

void KeyspaceNotifier::Raise(uint32_t event_class, std::string_view event, int db,
                             std::string_view key) {
  if (flags_ & event_class) Publish(event, db, key);
  if (held_.empty()) return;
  auto it = std::find_if(held_.begin(), held_.end(),
                         [&](const HeldDel& held) { return held.db == db && held.key == key; });
  if (it == held_.end()) return;
  const HeldDel del = std::move(*it);
  held_.erase(it);
  RaiseNow(kNotifyGeneric, "del", del.db, del.key);
}

void KeyspaceNotifier::HoldEmptiedDel(int db, std::string_view key) {
  if (flags_ & kNotifyGeneric) held_.push_back({db, std::string(key)});
}

void KeyspaceNotifier::ReleaseHeld() {
  if (held_.empty()) return;
  std::vector<HeldDel> held;
  held.swap(held_);
  for (const HeldDel& del : held) RaiseNow(kNotifyGeneric, "del", del.db, del.key);
}

void KeyspaceNotifier::Publish(std::string_view event, int db, std::string_view key) {
  if (flags_ & kNotifyKeyspace) {
    channel_.clear();
    fmt::format_to(std::back_inserter(channel_), "__keyspace@{}__:{}", db, key);
    pubsub_.Publish(ChannelKind::kGlobal, channel_, event);
  }
  if (flags_ & kNotifyKeyevent) {
    channel_.clear();
    fmt::format_to(std::back_inserter(channel_), "__keyevent@{}__:{}", db, event);
    pubsub_.Publish(ChannelKind::kGlobal, channel_, key);
  }
}

}  // namespace ember::server
