// The subcommand rows of the container commands (COMMAND, CONFIG, OBJECT, MEMORY, SLOWLOG,
// LATENCY, FUNCTION, SCRIPT), referenced from their container's row in command_table.cc.
// Data only, like the main table; names are Redis's full names ("config|get").
#pragma once

#include <array>

#include "server/command/command_spec.h"

namespace ember::server {

extern const std::array<CommandSpec, 17> kClientSubcommands;
extern const std::array<CommandSpec, 7> kCommandSubcommands;
extern const std::array<CommandSpec, 5> kConfigSubcommands;
extern const std::array<CommandSpec, 5> kObjectSubcommands;
extern const std::array<CommandSpec, 5> kMemorySubcommands;
extern const std::array<CommandSpec, 4> kSlowlogSubcommands;
extern const std::array<CommandSpec, 5> kLatencySubcommands;
extern const std::array<CommandSpec, 2> kFunctionSubcommands;
extern const std::array<CommandSpec, 2> kScriptSubcommands;

}  // namespace ember::server
