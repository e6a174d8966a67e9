// LOLWUT [VERSION version]: Redis's version-art command. Ember draws no art; it answers
// its own version and the Redis version it reproduces. As in Redis, VERSION must be an
// integer when it has a value, and other arguments are ignored.
#include <span>
#include <string>

#include "protocol/redis_version.h"
#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/command/command_spec.h"
#include "server/command/error_replies.h"

namespace ember::server {
namespace {

void LolwutCommand(CommandContext& ctx) {
  if (ctx.args.size() >= 3 && EqualsIgnoreCase(ctx.args[1], "version") &&
      !ArgToInt64(ctx.args[2]).has_value()) {
    return ctx.reply.Error(kErrNotInteger);
  }
  ctx.reply.Verbatim("txt", std::string("Ember ver. ") + EMBER_VERSION +
                                ", compatible with Redis ver. " +
                                std::string(protocol::kCompatibleRedisVersion) + "\n");
}

}  // namespace

std::span<const CommandSpec> LolwutCommandRows() {
  static constexpr CommandSpec kRows[] = {
      {.name = "lolwut",
       .arity = -1,
       .flags = kReadOnly | kFast,
       .since = "5.0.0",
       .summary = "Displays the server's version.",
       .handler = LolwutCommand},
  };
  return kRows;
}

}  // namespace ember::server
