// SLOWLOG GET / LEN / RESET / HELP over ServerState's Slowlog.
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/help_reply.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

void SlowlogGetCommand(CommandContext& ctx) {
  const auto& entries = ctx.server.slowlog().entries();
  int64_t count = 10;
  if (ctx.args.size() > 3) {
    ctx.reply.Error(SubcommandSyntaxError("SLOWLOG", ctx.args[1]));
    return;
  }
  if (ctx.args.size() == 3) {
    auto parsed = ArgToInt64(ctx.args[2]);
    if (!parsed || *parsed < -1) {
      ctx.reply.Error("ERR count should be greater than or equal to -1");
      return;
    }
    count = *parsed == -1 ? static_cast<int64_t>(entries.size()) : *parsed;
  }
  const size_t shown = std::min(entries.size(), static_cast<size_t>(count));
  ctx.reply.ArrayHeader(static_cast<int64_t>(shown));
  for (size_t i = 0; i < shown; ++i) {
    const SlowlogEntry& entry = entries[i];
    ctx.reply.ArrayHeader(6);
    ctx.reply.Integer(static_cast<int64_t>(entry.id));
    ctx.reply.Integer(entry.unix_seconds);
    ctx.reply.Integer(entry.duration_usec);
    ctx.reply.ArrayHeader(static_cast<int64_t>(entry.args.size()));
    for (const std::string& arg : entry.args) ctx.reply.Bulk(arg);
    ctx.reply.Bulk(entry.client_address);
    ctx.reply.Bulk(entry.client_name);
  }
}

void SlowlogLenCommand(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.slowlog().entries().size()));
}

void SlowlogResetCommand(CommandContext& ctx) {
  ctx.server.slowlog().Reset();
  ctx.reply.Ok();
}

void SlowlogHelpCommand(CommandContext& ctx) {
  ReplyHelp(ctx, "SLOWLOG",
            {"GET [<count>]",
             "    Return the <count> newest entries (10 by default, -1 for all). Each entry is",
             "    [id, unix time, microseconds, arguments, client address, client name].", "LEN",
             "    Return the number of entries.", "RESET", "    Empty the slow log."});
}

}  // namespace

// clang-format off
std::span<const CommandSpec> SlowlogCommandRows() {
  static constexpr CommandSpec kSlowlogSubcommands[] = {
      {.name = "slowlog|get", .arity = -2, .flags = kAdmin | kLoading | kStale, .since = "2.2.12",
       .summary = "Returns the most recent slow log entries.", .handler = SlowlogGetCommand},
      {.name = "slowlog|len", .arity = 2, .flags = kAdmin | kLoading | kStale, .since = "2.2.12",
       .summary = "Returns the number of entries in the slow log.", .handler = SlowlogLenCommand},
      {.name = "slowlog|reset", .arity = 2, .flags = kAdmin | kLoading | kStale, .since = "2.2.12",
       .summary = "Empties the slow log.", .handler = SlowlogResetCommand},
      {.name = "slowlog|help", .arity = 2, .flags = kLoading | kStale, .since = "6.2.0",
       .summary = "Describes the SLOWLOG subcommands.", .handler = SlowlogHelpCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "slowlog", .arity = -2, .since = "2.2.12",
       .summary = "Reads or clears the slow log.", .handler = nullptr,
       .subcommands = kSlowlogSubcommands},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
