#include "server/pubsub/pubsub_registry.h"

#include <algorithm>
#include <array>
#include <memory>

#include "protocol/reply_writer.h"
#include "storage/ops/glob.h"

namespace ember::server {
namespace {

// One message's bytes, rendered at most once per protocol version however many subscribers
// receive it: a fan-out to N clients copies bytes N times but formats them twice at most.
class RenderedMessage {
 public:
  RenderedMessage(std::string_view kind, std::string_view channel, std::string_view message)
      : parts_{kind, channel, message}, count_(3) {}
  RenderedMessage(std::string_view kind, std::string_view pattern, std::string_view channel,
                  std::string_view message)
      : parts_{kind, pattern, channel, message}, count_(4) {}

  std::string_view For(int protocol_version) {
    std::string& bytes = rendered_[protocol_version >= 3 ? 1 : 0];
    if (bytes.empty()) {
      protocol::ReplyWriter writer(&bytes, protocol_version);
      writer.PushHeader(static_cast<int64_t>(count_));
      for (size_t i = 0; i < count_; ++i) writer.Bulk(parts_[i]);
    }
    return bytes;
  }

 private:
  std::array<std::string_view, 4> parts_;
  size_t count_;
  std::array<std::string, 2> rendered_;
};

ClientSubscriptions& SubscriptionsOf(ClientState& client) {
  if (client.subscriptions == nullptr) {
    client.subscriptions = std::make_unique<ClientSubscriptions>();
  }
  return *client.subscriptions;
}

ClientSubscriptions::ChannelSet& ChannelSetOf(ClientSubscriptions& subs, ChannelKind kind) {
  return kind == ChannelKind::kShard ? subs.shard_channels : subs.channels;
}

}  // namespace

bool PubSubRegistry::Subscribe(ClientState& client, ChannelKind kind, std::string_view channel) {
  if (!ChannelSetOf(SubscriptionsOf(client), kind).emplace(channel).second) return false;
  SubscriberMap& map = channels_[Index(kind)];
  auto it = map.find(channel);
  if (it == map.end()) it = map.emplace(std::string(channel), Subscribers{}).first;
  it->second.push_back(&client);
  return true;
}

bool PubSubRegistry::Unsubscribe(ClientState& client, ChannelKind kind, std::string_view channel) {
  if (client.subscriptions == nullptr) return false;
  ClientSubscriptions::ChannelSet& set = ChannelSetOf(*client.subscriptions, kind);
  auto it = set.find(channel);
  if (it == set.end()) return false;
  // The map entry is removed first: `channel` may view the set's own string.
  RemoveSubscriber(channels_[Index(kind)], channel, client);
  set.erase(it);
  return true;
}

bool PubSubRegistry::SubscribePattern(ClientState& client, std::string_view pattern) {
  std::vector<std::string>& patterns = SubscriptionsOf(client).patterns;
  if (std::find(patterns.begin(), patterns.end(), pattern) != patterns.end()) return false;
  patterns.emplace_back(pattern);
  auto it = patterns_.find(pattern);
  if (it == patterns_.end()) it = patterns_.emplace(std::string(pattern), Subscribers{}).first;
  it->second.push_back(&client);
  return true;
}

bool PubSubRegistry::UnsubscribePattern(ClientState& client, std::string_view pattern) {
  if (client.subscriptions == nullptr) return false;
  std::vector<std::string>& patterns = client.subscriptions->patterns;
  auto it = std::find(patterns.begin(), patterns.end(), pattern);
  if (it == patterns.end()) return false;
  RemoveSubscriber(patterns_, pattern, client);
  patterns.erase(it);
  return true;
}

void PubSubRegistry::UnsubscribeAll(ClientState& client) {
  if (client.subscriptions == nullptr) return;
  ClientSubscriptions& subs = *client.subscriptions;
  for (const std::string& channel : subs.channels) {
    RemoveSubscriber(channels_[Index(ChannelKind::kGlobal)], channel, client);
  }
  for (const std::string& channel : subs.shard_channels) {
    RemoveSubscriber(channels_[Index(ChannelKind::kShard)], channel, client);
  }
  for (const std::string& pattern : subs.patterns) RemoveSubscriber(patterns_, pattern, client);
  client.subscriptions.reset();
  client.pubsub_mode = false;
}

std::vector<std::string> PubSubRegistry::ChannelsOf(const ClientState& client, ChannelKind kind) {
  if (client.subscriptions == nullptr) return {};
  const ClientSubscriptions& subs = *client.subscriptions;
  const auto& set = kind == ChannelKind::kShard ? subs.shard_channels : subs.channels;
  return {set.begin(), set.end()};
}

std::vector<std::string> PubSubRegistry::PatternsOf(const ClientState& client) {
  if (client.subscriptions == nullptr) return {};
  return client.subscriptions->patterns;
}

int64_t PubSubRegistry::SubscriptionCount(const ClientState& client, ChannelKind kind) {
  if (client.subscriptions == nullptr) return 0;
  const ClientSubscriptions& subs = *client.subscriptions;
  return static_cast<int64_t>(kind == ChannelKind::kShard ? subs.shard_channels.size()
                                                          : subs.count());
}

int64_t PubSubRegistry::Publish(ChannelKind kind, std::string_view channel,
                                std::string_view message) {
  int64_t receivers = 0;
  const SubscriberMap& map = channels_[Index(kind)];
  if (auto it = map.find(channel); it != map.end()) {
    RenderedMessage rendered(kind == ChannelKind::kShard ? "smessage" : "message", channel,
                             message);
    for (ClientState* subscriber : it->second) {
      wakeups_.PostBytes(*subscriber, rendered.For(subscriber->protocol_version));
      ++receivers;
    }
  }
  if (kind == ChannelKind::kShard) return receivers;
  for (const auto& [pattern, subscribers] : patterns_) {
    if (!storage::GlobMatch(pattern, channel)) continue;
    RenderedMessage rendered("pmessage", pattern, channel, message);
    for (ClientState* subscriber : subscribers) {
      wakeups_.PostBytes(*subscriber, rendered.For(subscriber->protocol_version));
      ++receivers;
    }
  }
  return receivers;
}

std::vector<std::string_view> PubSubRegistry::ActiveChannels(
    ChannelKind kind, std::optional<std::string_view> pattern) const {
  std::vector<std::string_view> names;
  for (const auto& [channel, subscribers] : channels_[Index(kind)]) {
    if (!pattern || storage::GlobMatch(*pattern, channel)) names.push_back(channel);
  }
  return names;
}

size_t PubSubRegistry::SubscriberCount(ChannelKind kind, std::string_view channel) const {
  const SubscriberMap& map = channels_[Index(kind)];
  auto it = map.find(channel);
  return it == map.end() ? 0 : it->second.size();
}

void PubSubRegistry::RemoveSubscriber(SubscriberMap& map, std::string_view name,
                                      ClientState& client) {
  auto it = map.find(name);
  if (it == map.end()) return;
  std::erase(it->second, &client);
  if (it->second.empty()) map.erase(it);
}

}  // namespace ember::server
