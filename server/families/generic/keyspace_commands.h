// Handlers of the generic keyspace family (DEL, EXPIRE, SCAN, RENAME, FLUSHDB...). Each
// parses its options, calls the storage operation in storage/key_ops.h, and replies.
#pragma once

#include "server/command/command_context.h"

namespace ember::server {

void DelCommand(CommandContext& ctx);
void UnlinkCommand(CommandContext& ctx);
void ExistsCommand(CommandContext& ctx);
void ExpireCommand(CommandContext& ctx);
void PExpireCommand(CommandContext& ctx);
void ExpireAtCommand(CommandContext& ctx);
void PExpireAtCommand(CommandContext& ctx);
void ExpireTimeCommand(CommandContext& ctx);
void PExpireTimeCommand(CommandContext& ctx);
void TtlCommand(CommandContext& ctx);
void PTtlCommand(CommandContext& ctx);
void PersistCommand(CommandContext& ctx);
void TypeCommand(CommandContext& ctx);
void KeysCommand(CommandContext& ctx);
void ScanCommand(CommandContext& ctx);
void RandomKeyCommand(CommandContext& ctx);
void RenameCommand(CommandContext& ctx);
void RenameNxCommand(CommandContext& ctx);
void TouchCommand(CommandContext& ctx);
void CopyCommand(CommandContext& ctx);
void MoveCommand(CommandContext& ctx);
void SwapDbCommand(CommandContext& ctx);
void DbSizeCommand(CommandContext& ctx);
void FlushDbCommand(CommandContext& ctx);
void FlushAllCommand(CommandContext& ctx);

}  // namespace ember::server
