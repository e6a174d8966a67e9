#include "server/families/connection/client_command.h"

#include <fmt/format.h>

#include <optional>
#include <span>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/core/server_state.h"
#include "server/families/connection/connection_commands.h"

namespace ember::server {
namespace {

// Parses ON / OFF for NO-EVICT and NO-TOUCH; replies a syntax error otherwise.
std::optional<bool> ParseOnOff(CommandContext& ctx, std::string_view arg) {
  if (EqualsIgnoreCase(arg, "on")) return true;
  if (EqualsIgnoreCase(arg, "off")) return false;
  ctx.reply.Error(kErrSyntax);
  return std::nullopt;
}

void ClientIdCommand(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.client.id));
}

void ClientGetNameCommand(CommandContext& ctx) {
  if (ctx.client.name.empty()) {
    ctx.reply.Null();
  } else {
    ctx.reply.Bulk(ctx.client.name);
  }
}

// An empty name clears it.
void ClientSetNameCommand(CommandContext& ctx) {
  if (!IsValidClientName(ctx.args[2])) {
    ctx.reply.Error(kErrBadClientName);
    return;
  }
  ctx.client.name = std::string(ctx.args[2]);
  ctx.reply.Ok();
}

void ClientSetInfoCommand(CommandContext& ctx) {
  std::string_view attribute = ctx.args[2];
  std::string* target = nullptr;
  if (EqualsIgnoreCase(attribute, "lib-name")) {
    target = &ctx.client.lib_name;
  } else if (EqualsIgnoreCase(attribute, "lib-ver")) {
    target = &ctx.client.lib_ver;
  } else {
    ctx.reply.Error(fmt::format("ERR Unrecognized option '{}'", attribute));
    return;
  }
  if (!IsValidClientName(ctx.args[3])) {
    ctx.reply.Error(
        fmt::format("ERR {} cannot contain spaces, newlines or special characters.", attribute));
    return;
  }
  *target = std::string(ctx.args[3]);
  ctx.reply.Ok();
}

// OFF and SKIP send no reply of their own; ON answers +OK (see reply_mute.h).
void ClientReplyCommand(CommandContext& ctx) {
  std::string_view mode = ctx.args[2];
  if (EqualsIgnoreCase(mode, "on")) {
    ctx.client.reply_mode = ReplyMode::kOn;
    ctx.reply.Ok();
  } else if (EqualsIgnoreCase(mode, "off")) {
    ctx.client.reply_mode = ReplyMode::kOff;
  } else if (EqualsIgnoreCase(mode, "skip")) {
    if (ctx.client.reply_mode != ReplyMode::kOff) ctx.client.reply_mode = ReplyMode::kSkipNext;
  } else {
    ctx.reply.Error(kErrSyntax);
  }
}

void ClientNoEvictCommand(CommandContext& ctx) {
  std::optional<bool> on = ParseOnOff(ctx, ctx.args[2]);
  if (!on) return;
  ctx.client.no_evict = *on;
  ctx.reply.Ok();
}

void ClientNoTouchCommand(CommandContext& ctx) {
  std::optional<bool> on = ParseOnOff(ctx, ctx.args[2]);
  if (!on) return;
  ctx.client.no_touch = *on;
  ctx.reply.Ok();
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends the wait of a client blocked on keys, with its
// timeout reply or with Redis's UNBLOCKED error; 1 when it was waiting, 0 otherwise (a client
// held by CLIENT PAUSE is not "blocked" here, as in Redis). The reason is checked before
// the id, as Redis checks them.
void ClientUnblockCommand(CommandContext& ctx) {
  if (ctx.args.size() > 4) {
    ctx.reply.Error(SubcommandSyntaxError("CLIENT", ctx.args[1]));
    return;
  }
  const bool with_error = ctx.args.size() == 4 && EqualsIgnoreCase(ctx.args[3], "error");
  if (ctx.args.size() == 4 && !with_error && !EqualsIgnoreCase(ctx.args[3], "timeout")) {
    ctx.reply.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    return;
  }
  const std::optional<int64_t> id = ArgToInt64(ctx.args[2]);
  if (!id) {
    ctx.reply.Error(kErrNotInteger);
    return;
  }
  auto found = ctx.server.clients().find(static_cast<uint64_t>(*id));
  bool unblocked = false;
  if (found != ctx.server.clients().end()) {
    ClientState& target = *found->second;
    BlockedClients& blocked = ctx.server.blocked_clients();
    unblocked = with_error
                    ? blocked.FailWith(target, "UNBLOCKED client unblocked via CLIENT UNBLOCK",
                                       ctx.server.wakeups())
                    : blocked.TimeOut(target, ctx.server.wakeups());
  }
  ctx.reply.Integer(unblocked ? 1 : 0);
}

void ClientHelpCommand(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ID",
      "    The unique ID of this connection.",
      "GETNAME",
      "    The name of this connection (null when unnamed).",
      "SETNAME <name>",
      "    Names this connection; an empty name removes the name.",
      "SETINFO (LIB-NAME|LIB-VER) <value>",
      "    Records the client library's name or version.",
      "INFO",
      "    One line describing this connection, in CLIENT LIST's format.",
      "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <id> [<id> ...]]",
      "    One line per connection.",
      "KILL <ip:port>",
      "    Closes the connection from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Closes the connections matching every filter. Filters:",
      "    * ID <id>, ADDR <ip:port>, LADDR <ip:port>, USER <username>",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "    * SKIPME (YES|NO): spare this connection (default: yes).",
      "REPLY (ON|OFF|SKIP)",
      "    Turns replies on, off, or off for the next command only.",
      "NO-EVICT (ON|OFF)",
      "    Protects this connection from client eviction.",
      "NO-TOUCH (ON|OFF)",
      "    Keeps this connection's commands from updating keys' access times.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Holds every client's commands, or only writes, for <timeout> milliseconds.",
      "UNPAUSE",
      "    Ends a pause.",
      "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
      "         [OPTIN] [OPTOUT] [NOLOOP]",
      "    Turns client-side caching invalidations on or off.",
      "CACHING (YES|NO)",
      "    In OPTIN/OPTOUT mode, whether the next command's keys are tracked.",
      "GETREDIR",
      "    The id invalidations are redirected to (0: none, -1: not tracking).",
      "TRACKINGINFO",
      "    This connection's client-side caching state.",
      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
      "    Unblocks a client blocked in a blocking command.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(static_cast<int64_t>(std::size(kLines)));
  for (std::string_view line : kLines) ctx.reply.SimpleString(line);
}

}  // namespace

// clang-format off
std::span<const CommandSpec> ClientCommandRows() {
  static constexpr CommandSpec kClientSubcommands[] = {
      {.name = "client|id", .arity = 2, .flags = kNoScript | kLoading | kStale, .since = "5.0.0",
       .summary = "Returns the unique client ID of the connection.", .handler = ClientIdCommand},
      {.name = "client|getname", .arity = 2, .flags = kNoScript | kLoading | kStale,
       .since = "2.6.9", .summary = "Returns the name of the connection.",
       .handler = ClientGetNameCommand},
      {.name = "client|setname", .arity = 3, .flags = kNoScript | kLoading | kStale,
       .since = "2.6.9", .summary = "Sets the name of the connection.",
       .handler = ClientSetNameCommand},
      {.name = "client|setinfo", .arity = 4, .flags = kNoScript | kLoading | kStale,
       .since = "7.2.0",
       .summary = "Records the client library's name or version for the connection.",
       .handler = ClientSetInfoCommand},
      {.name = "client|info", .arity = 2, .flags = kNoScript | kLoading | kStale, .since = "6.2.0",
       .summary = "Returns information about the connection.", .handler = ClientInfoCommand},
      {.name = "client|list", .arity = -2, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "2.4.0", .summary = "Lists the open connections.", .handler = ClientListCommand},
      {.name = "client|kill", .arity = -3, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "2.4.0", .summary = "Closes connections.", .handler = ClientKillCommand},
      {.name = "client|reply", .arity = 3, .flags = kNoScript | kLoading | kStale, .since = "3.2.0",
       .summary = "Turns the connection's replies on, off, or off for the next command.",
       .handler = ClientReplyCommand},
      {.name = "client|no-evict", .arity = 3, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "7.0.0", .summary = "Protects the connection from client eviction.",
       .handler = ClientNoEvictCommand},
      {.name = "client|no-touch", .arity = 3, .flags = kNoScript | kLoading | kStale,
       .since = "7.2.0",
       .summary = "Keeps the connection's commands from changing keys' access times.",
       .handler = ClientNoTouchCommand},
      {.name = "client|pause", .arity = -3, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "2.9.50",
       .summary = "Holds the commands of every client, or their writes, for a while.",
       .handler = ClientPauseCommand},
      {.name = "client|unpause", .arity = 2, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "6.2.0", .summary = "Ends a client pause.", .handler = ClientUnpauseCommand},
      {.name = "client|getredir", .arity = 2, .flags = kNoScript | kLoading | kStale,
       .since = "6.0.0",
       .summary = "Returns the client ID to which the connection's tracking notifications are "
                  "redirected.",
       .handler = ClientGetRedirCommand},
      {.name = "client|trackinginfo", .arity = 2, .flags = kNoScript | kLoading | kStale,
       .since = "6.2.0",
       .summary = "Returns information about server-assisted client-side caching for the "
                  "connection.",
       .handler = ClientTrackingInfoCommand},
      {.name = "client|unblock", .arity = -3, .flags = kAdmin | kNoScript | kLoading | kStale,
       .since = "5.0.0", .summary = "Unblocks a client blocked in a blocking command.",
       .handler = ClientUnblockCommand},
      {.name = "client|help", .arity = 2, .flags = kLoading | kStale, .since = "5.0.0",
       .summary = "Describes the CLIENT subcommands.", .handler = ClientHelpCommand},
      {.name = "client|caching", .arity = 3, .flags = kNoScript | kLoading | kStale,
       .since = "6.0.0",
       .summary = "Instructs the server whether to track the keys in the next request.",
       .handler = ClientCachingCommand},
      {.name = "client|tracking", .arity = -3, .flags = kNoScript | kLoading | kStale,
       .since = "6.0.0",
       .summary = "Controls server-assisted client-side caching for the connection.",
       .handler = ClientTrackingCommand},
  };
  static constexpr CommandSpec kRows[] = {
      {.name = "client", .arity = -2, .since = "2.4.0",
       .summary = "Inspects and controls client connections.", .handler = nullptr,
       .subcommands = kClientSubcommands},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
