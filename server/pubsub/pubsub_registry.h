// PubSubRegistry: who listens to which channel, pattern (Redis glob) and shard channel, and
// PUBLISH's fan-out. Messages are rendered for each subscriber's protocol (a RESP2 array or
// a RESP3 push) and posted to its outbox through the WakeQueue, so they reach it at the
// delivery point of the command that published (after a whole EXEC or script), in publish
// order; a client that stops reading holds its messages in its own output, judged against
// the pubsub class of client-output-buffer-limit by its connection.
//
// Redis 7.0's rules kept here: a channel's subscribers receive in the order they subscribed;
// a message then goes to every pattern that matches, once per (pattern, subscriber), so a
// client subscribed to a channel and to two matching patterns gets three messages; shard
// channels are a separate namespace that patterns never match. Subscription counts are
// channels + patterns for (P)SUBSCRIBE and shard channels alone for SSUBSCRIBE.
//
// Threading: engine thread only. Owned by ServerState.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/client_state.h"
#include "server/core/string_hash.h"
#include "server/core/wake_queue.h"

namespace ember::server {

// Plain channels (SUBSCRIBE, PUBLISH) or shard channels (SSUBSCRIBE, SPUBLISH).
enum class ChannelKind : uint8_t { kGlobal, kShard };

class PubSubRegistry {
 public:
  explicit PubSubRegistry(WakeQueue& wakeups) : wakeups_(wakeups) {}
  PubSubRegistry(const PubSubRegistry&) = delete;
  PubSubRegistry& operator=(const PubSubRegistry&) = delete;

  // Adds or removes one subscription of `client`; true when it changed anything. The
  // caller replies (the confirmations belong to the command's own reply).
  bool Subscribe(ClientState& client, ChannelKind kind, std::string_view channel);
  bool Unsubscribe(ClientState& client, ChannelKind kind, std::string_view channel);
  bool SubscribePattern(ClientState& client, std::string_view pattern);
  bool UnsubscribePattern(ClientState& client, std::string_view pattern);
  // Drops every subscription of `client` without telling it (disconnect, RESET).
  void UnsubscribeAll(ClientState& client);

  // What `client` listens to, copied (an unsubscribe-all walks it while removing).
  static std::vector<std::string> ChannelsOf(const ClientState& client, ChannelKind kind);
  static std::vector<std::string> PatternsOf(const ClientState& client);
  // The count a (P)SUBSCRIBE confirmation reports, or an SSUBSCRIBE's for kShard.
  static int64_t SubscriptionCount(const ClientState& client, ChannelKind kind);

  // Delivers `message` on `channel` to its subscribers and, for kGlobal, to every matching
  // pattern's; returns how many messages were posted (PUBLISH's reply).
  int64_t Publish(ChannelKind kind, std::string_view channel, std::string_view message);

  // PUBSUB: channels with at least one subscriber, matching `pattern` when given;
  // subscribers of one channel (patterns not counted); distinct patterns subscribed.
  std::vector<std::string_view> ActiveChannels(ChannelKind kind,
                                               std::optional<std::string_view> pattern) const;
  size_t SubscriberCount(ChannelKind kind, std::string_view channel) const;
  size_t channel_count(ChannelKind kind) const { return channels_[Index(kind)].size(); }
  size_t pattern_count() const { return patterns_.size(); }

 private:
  using Subscribers = std::vector<ClientState*>;  // in subscribe order
  using SubscriberMap =
      std::unordered_map<std::string, Subscribers, TransparentStringHash, std::equal_to<>>;

  static size_t Index(ChannelKind kind) { return kind == ChannelKind::kShard ? 1 : 0; }
  // Removes `client` from `name`'s subscribers, and the entry when it was the last.
  static void RemoveSubscriber(SubscriberMap& map, std::string_view name, ClientState& client);

  WakeQueue& wakeups_;
  SubscriberMap channels_[2];  // by ChannelKind
  SubscriberMap patterns_;
};

}  // namespace ember::server
