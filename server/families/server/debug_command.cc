// DEBUG: the subset of Redis 7.0's debugging command that client libraries' and servers'
// test suites use, with Redis's replies and errors. Protected: it runs only as
// enable-debug-command allows (server/command/protected_commands.h).
//
// Subcommands that would crash, leak or stall the server on purpose (SEGFAULT, PANIC, OOM,
// LEAK, ...) and those about internals Ember does not have (MALLCTL, SDSLEN, HTSTATS,
// STRUCTSIZE...) are absent: they answer Redis's unknown-subcommand error, and DEBUG HELP
// lists only what Ember does.
#include <chrono>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <thread>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"
#include "server/command/help_reply.h"
#include "server/config/config_values.h"
#include "server/core/logger.h"
#include "server/core/server_state.h"
#include "server/families/server/debug_subcommands.h"

namespace ember::server {
namespace {

void DebugHelp(CommandContext& ctx) {
  ReplyHelp(ctx, "DEBUG",
            {"DIGEST",
             "    Output a hex signature representing the current DB content.",
             "DIGEST-VALUE <key> [<key> ...]",
             "    Output a hex signature of the values of all the specified keys.",
             "ERROR <string>",
             "    Return a Redis protocol error with <string> as message. Useful for clients",
             "    unit tests to simulate Redis errors.",
             "LOG <message>",
             "    Write <message> to the server log.",
             "OBJECT <key>",
             "    Show low level info about `key` and associated value.",
             "POPULATE <count> [<prefix>] [<size>]",
             "    Create <count> string keys named key:<num>. If <prefix> is specified then",
             "    it is used instead of the 'key' prefix. These are not propagated.",
             "PROTOCOL <type>",
             "    Reply with a test value of the specified type. <type> can be: string,",
             "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
             "    true, false.",
             "RELOAD [option ...]",
             "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
             "    * MERGE: conflicting keys will be loaded from RDB.",
             "    * NOFLUSH: the existing database will not be removed before load.",
             "    * NOSAVE: the database will be loaded from an existing RDB file.",
             "SET-ACTIVE-EXPIRE <0|1>",
             "    Setting it to 0 disables expiring keys in background when they are not",
             "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
             "    default.",
             "QUICKLIST-PACKED-THRESHOLD <size>",
             "    Sets the threshold for elements to be inserted as plain vs packed nodes",
             "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to "
             "default.",
             "SLEEP <seconds>",
             "    Stop the server for <seconds>. Decimals allowed.",
             "LISTPACK <key>",
             "    Show low level info about the listpack encoding of <key>.",
             "QUICKLIST <key> [<0|1>]",
             "    Show low level info about the quicklist encoding of <key>."});
}

// PROTOCOL <type>: one reply of each RESP3 type, as client libraries' tests expect them.
void DebugProtocol(CommandContext& ctx) {
  const std::string_view name = ctx.args[2];
  auto& reply = ctx.reply;
  if (EqualsIgnoreCase(name, "string")) {
    reply.Bulk("Hello World");
  } else if (EqualsIgnoreCase(name, "integer")) {
    reply.Integer(12345);
  } else if (EqualsIgnoreCase(name, "double")) {
    reply.Double(3.141);
  } else if (EqualsIgnoreCase(name, "bignum")) {
    reply.BigNumber("1234567999999999999999999999999999999");
  } else if (EqualsIgnoreCase(name, "null")) {
    reply.Null();
  } else if (EqualsIgnoreCase(name, "array") || EqualsIgnoreCase(name, "set")) {
    if (EqualsIgnoreCase(name, "set")) {
      reply.SetHeader(3);
    } else {
      reply.ArrayHeader(3);
    }
    for (int i = 0; i < 3; ++i) reply.Integer(i);
  } else if (EqualsIgnoreCase(name, "map")) {
    reply.MapHeader(3);
    for (int i = 0; i < 3; ++i) {
      reply.Integer(i);
      reply.Boolean(i == 1);
    }
  } else if (EqualsIgnoreCase(name, "attrib")) {
    if (reply.resp3()) {
      reply.AttributeHeader(1);
      reply.Bulk("key-popularity");
      reply.ArrayHeader(2);
      reply.Bulk("key:123");
      reply.Integer(90);
    }
    reply.Bulk("Some real reply following the attribute");
  } else if (EqualsIgnoreCase(name, "push")) {
    if (!reply.resp3()) return reply.Error("ERR RESP2 is not supported by this command");
    reply.PushHeader(2);
    reply.Bulk("server-cpu-usage");
    reply.Integer(42);
    reply.Bulk("Some real reply following the push reply");
  } else if (EqualsIgnoreCase(name, "true")) {
    reply.Boolean(true);
  } else if (EqualsIgnoreCase(name, "false")) {
    reply.Boolean(false);
  } else if (EqualsIgnoreCase(name, "verbatim")) {
    reply.Verbatim("txt", "This is a verbatim\nstring");
  } else {
    reply.Error(
        "ERR Wrong protocol type name. Please use one of the following: "
        "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
  }
}

// SLEEP <seconds>: blocks the server, decimals allowed; like Redis, whatever strtod makes of
// the argument (0 for text).
void DebugSleep(CommandContext& ctx) {
  const std::string text(ctx.args[2]);
  const double seconds = std::strtod(text.c_str(), nullptr);
  const auto micros = static_cast<long long>(seconds * 1'000'000);
  if (micros > 0) std::this_thread::sleep_for(std::chrono::microseconds(micros));
  ctx.reply.Ok();
}

// QUICKLIST-PACKED-THRESHOLD <size>: in Redis 7.0, list elements at least this large go into
// nodes of their own ("plain" nodes), which test suites use to exercise those nodes. Ember's
// list nodes hold an element of any size the same way, so no reply depends on the threshold:
// the size is validated with Redis's bounds and error, and nothing else changes.
void DebugQuicklistPackedThreshold(CommandContext& ctx) {
  constexpr int64_t kLargestThreshold = (int64_t{1} << 32) - (int64_t{1} << 20);
  const int64_t size = ParseMemorySize(ctx.args[2]);
  if (size < 0 || size > kLargestThreshold) {
    return ctx.reply.Error(
        "ERR argument must be a memory value bigger than 1 and smaller than 4gb");
  }
  ctx.reply.Ok();
}

// ERROR <string>: replies the string as an error, its line breaks turned into spaces.
void DebugError(CommandContext& ctx) {
  std::string message(ctx.args[2]);
  for (char& c : message) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  ctx.reply.Error(message);
}

void DebugCommand(CommandContext& ctx) {
  const std::string_view sub = ctx.args[1];
  const size_t argc = ctx.args.size();
  if (argc == 2 && EqualsIgnoreCase(sub, "help")) return DebugHelp(ctx);
  if (argc == 2 && EqualsIgnoreCase(sub, "digest")) return DebugDigest(ctx);
  if (EqualsIgnoreCase(sub, "digest-value")) return DebugDigestValue(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "protocol")) return DebugProtocol(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "sleep")) return DebugSleep(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "set-active-expire")) {
    const std::string text(ctx.args[2]);
    ctx.server.set_active_expire_enabled(std::atoi(text.c_str()) != 0);
    return ctx.reply.Ok();
  }
  if (argc == 3 && EqualsIgnoreCase(sub, "quicklist-packed-threshold")) {
    return DebugQuicklistPackedThreshold(ctx);
  }
  if (argc == 3 && EqualsIgnoreCase(sub, "error")) return DebugError(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "log")) {
    Log(LogLevel::kWarning, "DEBUG LOG: {}", ctx.args[2]);
    return ctx.reply.Ok();
  }
  if (argc == 3 && EqualsIgnoreCase(sub, "object")) return DebugObject(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "listpack")) return DebugListpack(ctx);
  if ((argc == 3 || argc == 4) && EqualsIgnoreCase(sub, "quicklist")) return DebugQuicklist(ctx);
  if (EqualsIgnoreCase(sub, "reload")) return DebugReload(ctx);
  if (argc >= 3 && argc <= 5 && EqualsIgnoreCase(sub, "populate")) return DebugPopulate(ctx);
  ctx.reply.Error(SubcommandSyntaxError("DEBUG", sub));
}

}  // namespace

// clang-format off
std::span<const CommandSpec> DebugCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "debug", .arity = -2,
       .flags = kAdmin | kNoScript | kLoading | kStale | kProtected, .since = "1.0.0",
       .summary = "A container for debugging commands", .handler = DebugCommand},
  };
  return kRows;
}
// clang-format on

}  // namespace ember::server
