// Handlers of the RDB snapshot commands: SAVE, BGSAVE, LASTSAVE. They parse and reply;
// server/rdb_saver.h does the work.
#pragma once

namespace ember::server {

class CommandContext;

void SaveCommand(CommandContext& ctx);
void BgsaveCommand(CommandContext& ctx);
void BgrewriteaofCommand(CommandContext& ctx);
void LastsaveCommand(CommandContext& ctx);

}  // namespace ember::server
