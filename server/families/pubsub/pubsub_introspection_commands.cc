// PUBSUB CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB and HELP: what the
// registry holds (server/pubsub/pubsub_registry.h). Channels are listed in no particular
// order, as Redis lists its dictionary.
#include <optional>
#include <span>
#include <string_view>

#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/help_reply.h"
#include "server/core/server_state.h"
#include "server/pubsub/pubsub_registry.h"

namespace ember::server {
namespace {

// CHANNELS and SHARDCHANNELS take at most one pattern.
void ReplyActiveChannels(CommandContext& ctx, ChannelKind kind) {
  if (ctx.args.size() > 3) {
    ctx.reply.Error(SubcommandSyntaxError("PUBSUB", ctx.args[1]));
    return;
  }
  std::optional<std::string_view> pattern;
  if (ctx.args.size() == 3) pattern = ctx.args[2];
  const auto channels = ctx.server.pubsub().ActiveChannels(kind, pattern);
  ctx.reply.ArrayHeader(static_cast<int64_t>(channels.size()));
  for (std::string_view channel : channels) ctx.reply.Bulk(channel);
}

// NUMSUB and SHARDNUMSUB: a flat array of (channel, subscribers) pairs, in the order asked.
void ReplySubscriberCounts(CommandContext& ctx, ChannelKind kind) {
  const auto channels = ctx.args.subspan(2);
  ctx.reply.ArrayHeader(static_cast<int64_t>(channels.size() * 2));
  for (std::string_view channel : channels) {
    ctx.reply.Bulk(channel);
    ctx.reply.Integer(static_cast<int64_t>(ctx.server.pubsub().SubscriberCount(kind, channel)));
  }
}

void PubsubChannelsCommand(CommandContext& ctx) { ReplyActiveChannels(ctx, ChannelKind::kGlobal); }
void PubsubShardChannelsCommand(CommandContext& ctx) {
  ReplyActiveChannels(ctx, ChannelKind::kShard);
}
void PubsubNumsubCommand(CommandContext& ctx) { ReplySubscriberCounts(ctx, ChannelKind::kGlobal); }
void PubsubShardNumsubCommand(CommandContext& ctx) {
  ReplySubscriberCounts(ctx, ChannelKind::kShard);
}
void PubsubNumpatCommand(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.pubsub().pattern_count()));
}

void PubsubHelpCommand(CommandContext& ctx) {
  ReplyHelp(
      ctx, "PUBSUB",
      {"CHANNELS [<pattern>]",
       "    Lists the channels with at least one subscriber, those matching <pattern> if given.",
       "NUMPAT", "    Counts the distinct patterns subscribed to.", "NUMSUB [<channel> ...]",
       "    Counts each channel's subscribers (pattern subscriptions not included).",
       "SHARDCHANNELS [<pattern>]",
       "    Lists the shard channels with at least one subscriber, those matching <pattern>.",
       "SHARDNUMSUB [<shardchannel> ...]", "    Counts each shard channel's subscribers."});
}

}  // namespace

// clang-format off
std::span<const CommandSpec> PubSubIntrospectionRows() {
  static constexpr uint32_t kFlags = kPubSub | kLoading | kStale;
  static constexpr CommandSpec kPubsubSubcommands[] = {
      {.name = "pubsub|channels", .arity = -2, .flags = kFlags, .since = "2.8.0",
       .summary = "Returns the active channels.", .handler = PubsubChannelsCommand},
      {.name = "pubsub|numsub", .arity = -2, .flags = kFlags, .since = "2.8.0",
       .summary = "Returns a count of subscribers to channels.", .handler = PubsubNumsubCommand},
      {.name = "pubsub|numpat", .arity = 2, .flags = kFlags, .since = "2.8.0",
       .summary = "Returns a count of unique pattern subscriptions.",
       .handler = PubsubNumpatCommand},
      {.name = "pubsub|shardchannels", .arity = -2, .flags = kFlags, .since = "7.0.0",
       .summary = "Returns the active shard channels.", .handler = PubsubShardChannelsCommand},
      {.name = "pubsub|shardnumsub", .arity = -2, .flags = kFlags, .since = "7.0.0",
       .summary = "Returns the count of subscribers of shard channels.",
       .handler = PubsubShardNumsubCommand},
      {.name = "pubsub|help", .arity = 2, .flags = kLoading | kStale, .since = "6.2.0",
       .summary = "Returns helpful text about the different subcommands.",
       .handler = PubsubHelpCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "pubsub", .arity = -2, .since = "2.8.0",
       .summary = "A container for Pub/Sub commands.", .handler = nullptr,
       .subcommands = kPubsubSubcommands},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
