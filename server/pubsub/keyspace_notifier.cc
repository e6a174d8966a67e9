#include "server/pubsub/keyspace_notifier.h"

#include <fmt/format.h>

#include <algorithm>

namespace ember::server {

void KeyspaceNotifier::Raise(uint32_t event_class, std::string_view event, int db,
                             std::string_view key) {
  // Every write command comes here, notifications on or not: nothing queued is the usual case.
  if (queue_.empty()) {
    if (flags_ & event_class) Publish(event, db, key);
    return;
  }
  auto of_key = [&](bool emptied) {
    return std::find_if(queue_.begin(), queue_.end(), [&](const Queued& item) {
      return item.emptied == emptied && item.db == db && item.key == key;
    });
  };
  if (auto created = of_key(false); created != queue_.end()) {
    const Queued item = std::move(*created);
    queue_.erase(created);
    PublishQueued(item);
  }
  if (flags_ & event_class) Publish(event, db, key);
  if (auto emptied = of_key(true); emptied != queue_.end()) {
    const Queued item = std::move(*emptied);
    queue_.erase(emptied);
    PublishQueued(item);
    FlushFront();
  }
}

void KeyspaceNotifier::KeyCreated(int db, std::string_view key) {
  if ((flags_ & kNotifyNew) == 0) return;
  if (queue_.empty()) {
    Publish("new", db, key);
  } else {
    queue_.push_back({db, std::string(key), /*emptied=*/false});
  }
}

void KeyspaceNotifier::KeyEmptied(int db, std::string_view key) {
  if (flags_ & kNotifyGeneric) queue_.push_back({db, std::string(key), /*emptied=*/true});
}

void KeyspaceNotifier::ReleaseHeld() {
  while (!queue_.empty()) {
    const Queued item = std::move(queue_.front());
    queue_.pop_front();
    PublishQueued(item);
  }
}

void KeyspaceNotifier::FlushFront() {
  while (!queue_.empty() && !queue_.front().emptied) {
    const Queued item = std::move(queue_.front());
    queue_.pop_front();
    PublishQueued(item);
  }
}

void KeyspaceNotifier::PublishQueued(const Queued& item) {
  Publish(item.emptied ? "del" : "new", item.db, item.key);
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
