// The reply every container command's HELP subcommand gives (CONFIG HELP, OBJECT HELP...).
#pragma once

#include <initializer_list>
#include <string_view>

#include "server/command/command_context.h"

namespace ember::server {

// Replies Redis's HELP shape: "<CONTAINER> <subcommand> [<arg> ...]. Subcommands are:",
// the given lines, then the HELP entry every container has.
void ReplyHelp(CommandContext& ctx, std::string_view container,
               std::initializer_list<std::string_view> lines);

}  // namespace ember::server
