// Handlers of SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE,
// PUBLISH and SPUBLISH over PubSubRegistry (server/pubsub/pubsub_registry.h).
//
// Every (un)subscription is confirmed by its own three-element message in the command's
// reply — an array in RESP2, a push in RESP3 — carrying the count after it; an unsubscribe
// from everything while subscribed to nothing still confirms once, with a null name. The
// first subscription puts the client in pub/sub mode (ClientState::pubsub_mode), the last
// unsubscription takes it out; RESP2 clients in that mode may only run the commands the
// dispatcher lets through. An unsubscribe-all confirms in no particular order (Redis's
// order is its dictionary's).
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/core/server_state.h"
#include "server/pubsub/pubsub_registry.h"

namespace ember::server {
namespace {

// A confirmation: kind ("subscribe"...), the channel or pattern (null when absent), and
// the subscription count after the change. Redis sends confirmations even under CLIENT REPLY
// OFF or SKIP (they are pushes to it), so a muted client gets them through its outbox, after
// the command, where the mute does not reach.
void Confirm(CommandContext& ctx, std::string_view kind, const std::string_view* name,
             ChannelKind count_of) {
  const int64_t count = PubSubRegistry::SubscriptionCount(ctx.client, count_of);
  const auto render = [&](protocol::ReplyWriter& writer) {
    writer.PushHeader(3);
    writer.Bulk(kind);
    if (name != nullptr) {
      writer.Bulk(*name);
    } else {
      writer.Null();
    }
    writer.Integer(count);
  };
  if (ctx.client.replies_muted()) {
    ctx.server.wakeups().Post(ctx.client, render);
  } else {
    render(ctx.reply);
  }
}

void LeavePubSubModeIfDone(ClientState& client) {
  if (client.subscriptions == nullptr || client.subscriptions->empty()) {
    client.pubsub_mode = false;
  }
}

// Applies `change` to each name the command gives, confirming each.
template <typename Change>
void ChangeEach(CommandContext& ctx, std::string_view confirmation, ChannelKind count_of,
                Change change) {
  for (std::string_view name : ctx.args.subspan(1)) {
    change(name);
    Confirm(ctx, confirmation, &name, count_of);
  }
}

// The unsubscribe commands: the names given, or else every one in `current` (a copy: the
// removals change the client's own), or one null confirmation when there is none.
template <typename Remove>
void UnsubscribeEach(CommandContext& ctx, std::string_view confirmation, ChannelKind count_of,
                     const std::vector<std::string>& current, Remove remove) {
  if (ctx.args.size() > 1) {
    ChangeEach(ctx, confirmation, count_of, remove);
  } else {
    for (const std::string& owned : current) {
      const std::string_view name = owned;
      remove(name);
      Confirm(ctx, confirmation, &name, count_of);
    }
    if (current.empty()) Confirm(ctx, confirmation, nullptr, count_of);
  }
  LeavePubSubModeIfDone(ctx.client);
}

void SubscribeChannels(CommandContext& ctx, ChannelKind kind, std::string_view confirmation) {
  ChangeEach(ctx, confirmation, kind, [&](std::string_view channel) {
    ctx.server.pubsub().Subscribe(ctx.client, kind, channel);
  });
  ctx.client.pubsub_mode = true;
}

void UnsubscribeChannels(CommandContext& ctx, ChannelKind kind, std::string_view confirmation) {
  std::vector<std::string> current;
  if (ctx.args.size() == 1) current = PubSubRegistry::ChannelsOf(ctx.client, kind);
  UnsubscribeEach(ctx, confirmation, kind, current, [&](std::string_view channel) {
    ctx.server.pubsub().Unsubscribe(ctx.client, kind, channel);
  });
}

// SUBSCRIBE and PSUBSCRIBE are allowed from EXEC, as Redis allows them there for backward
// compatibility; nothing else sets deny_blocking yet (scripts cannot call them: noscript).
void SubscribeCommand(CommandContext& ctx) {
  SubscribeChannels(ctx, ChannelKind::kGlobal, "subscribe");
}

void UnsubscribeCommand(CommandContext& ctx) {
  UnsubscribeChannels(ctx, ChannelKind::kGlobal, "unsubscribe");
}

// SSUBSCRIBE is refused where a reply per command is expected (inside EXEC), as in Redis.
void SsubscribeCommand(CommandContext& ctx) {
  if (ctx.client.deny_blocking) {
    ctx.reply.Error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  SubscribeChannels(ctx, ChannelKind::kShard, "ssubscribe");
}

void SunsubscribeCommand(CommandContext& ctx) {
  UnsubscribeChannels(ctx, ChannelKind::kShard, "sunsubscribe");
}

void PsubscribeCommand(CommandContext& ctx) {
  ChangeEach(ctx, "psubscribe", ChannelKind::kGlobal, [&](std::string_view pattern) {
    ctx.server.pubsub().SubscribePattern(ctx.client, pattern);
  });
  ctx.client.pubsub_mode = true;
}

void PunsubscribeCommand(CommandContext& ctx) {
  std::vector<std::string> current;
  if (ctx.args.size() == 1) current = PubSubRegistry::PatternsOf(ctx.client);
  UnsubscribeEach(ctx, "punsubscribe", ChannelKind::kGlobal, current,
                  [&](std::string_view pattern) {
                    ctx.server.pubsub().UnsubscribePattern(ctx.client, pattern);
                  });
}

void PublishCommand(CommandContext& ctx) {
  ctx.reply.Integer(ctx.server.pubsub().Publish(ChannelKind::kGlobal, ctx.args[1], ctx.args[2]));
}

void SpublishCommand(CommandContext& ctx) {
  ctx.reply.Integer(ctx.server.pubsub().Publish(ChannelKind::kShard, ctx.args[1], ctx.args[2]));
}

// SSUBSCRIBE, SUNSUBSCRIBE and SPUBLISH name shard channels where cluster-aware clients look
// for keys (Redis's NOT_KEY key specs): COMMAND reports those positions.
constexpr KeyPositions kAllChannels{1, -1, 1};
constexpr KeyPositions kOneChannel{1, 1, 1};

}  // namespace

// clang-format off
std::span<const CommandSpec> PubSubCommandRows() {
  static constexpr uint32_t kSubscribeFlags = kPubSub | kNoScript | kLoading | kStale;
  static constexpr uint32_t kPublishFlags = kPubSub | kLoading | kStale | kFast | kMayReplicate;
  static constexpr CommandSpec kRows[] = {
      {.name = "subscribe", .arity = -2, .flags = kSubscribeFlags, .since = "2.0.0",
       .summary = "Listens for messages published to channels.", .handler = SubscribeCommand},
      {.name = "unsubscribe", .arity = -1, .flags = kSubscribeFlags, .since = "2.0.0",
       .summary = "Stops listening to messages posted to channels.",
       .handler = UnsubscribeCommand},
      {.name = "psubscribe", .arity = -2, .flags = kSubscribeFlags, .since = "2.0.0",
       .summary = "Listens for messages published to channels that match one or more patterns.",
       .handler = PsubscribeCommand},
      {.name = "punsubscribe", .arity = -1, .flags = kSubscribeFlags, .since = "2.0.0",
       .summary = "Stops listening to messages published to channels that match one or more patterns.",
       .handler = PunsubscribeCommand},
      {.name = "ssubscribe", .arity = -2, .flags = kSubscribeFlags, .keys = kAllChannels,
       .since = "7.0.0", .summary = "Listens for messages published to shard channels.",
       .handler = SsubscribeCommand},
      {.name = "sunsubscribe", .arity = -1, .flags = kSubscribeFlags, .keys = kAllChannels,
       .since = "7.0.0", .summary = "Stops listening to messages posted to shard channels.",
       .handler = SunsubscribeCommand},
      {.name = "publish", .arity = 3, .flags = kPublishFlags, .since = "2.0.0",
       .summary = "Posts a message to a channel.", .handler = PublishCommand},
      {.name = "spublish", .arity = 3, .flags = kPublishFlags, .keys = kOneChannel,
       .since = "7.0.0", .summary = "Posts a message to a shard channel.",
       .handler = SpublishCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
