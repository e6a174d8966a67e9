#include "server/command/help_reply.h"

#include <string>

namespace ember::server {

void ReplyHelp(CommandContext& ctx, std::string_view container,
               std::initializer_list<std::string_view> lines) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(lines.size()) + 3);
  ctx.reply.SimpleString(std::string(container) +
                         " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (std::string_view line : lines) ctx.reply.SimpleString(line);
  ctx.reply.SimpleString("HELP");
  ctx.reply.SimpleString("    Prints this help.");
}

}  // namespace ember::server
