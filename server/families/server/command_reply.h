// Rendering of the command table in Redis 7.0's COMMAND INFO and COMMAND DOCS shapes,
// for COMMAND and its subcommands (command_command.cc).
#pragma once

#include "protocol/reply_writer.h"
#include "server/command/command_spec.h"
#include "server/command/command_table.h"

namespace ember::server {

// Requires: `spec` is a row or subcommand row of `table`.
// One COMMAND INFO entry: the 10-element array, subcommands nested.
void ReplyCommandInfo(protocol::ReplyWriter& reply, const CommandTable& table,
                      const CommandSpec& spec);
// One COMMAND DOCS entry: the name, then its documentation map.
void ReplyCommandDocs(protocol::ReplyWriter& reply, const CommandTable& table,
                      const CommandSpec& spec);

}  // namespace ember::server
