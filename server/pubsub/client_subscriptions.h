// ClientSubscriptions: what one client listens to. Kept by PubSubRegistry in step with its
// channel → subscribers maps; a client that never subscribed has none (ClientState holds a
// null pointer), so connections that do not use pub/sub pay one pointer.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

#include "server/core/string_hash.h"

namespace ember::server {

struct ClientSubscriptions {
  using ChannelSet = std::unordered_set<std::string, TransparentStringHash, std::equal_to<>>;

  ChannelSet channels;
  ChannelSet shard_channels;
  std::vector<std::string> patterns;  // in subscribe order, as Redis keeps them

  // The count SUBSCRIBE, PSUBSCRIBE and their unsubscribes report: channels and patterns.
  size_t count() const { return channels.size() + patterns.size(); }
  bool empty() const { return count() == 0 && shard_channels.empty(); }
};

}  // namespace ember::server
