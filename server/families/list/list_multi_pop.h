// LMPOP and BLMPOP share their arguments (numkeys, the keys, LEFT|RIGHT, COUNT) and their
// reply: [key, [element...]], propagated as the LPOP/RPOP with a count it amounts to.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "server/command/command_context.h"
#include "storage/ops/list_ops.h"
#include "storage/value/list_value.h"

namespace ember::server {

struct MultiPopArgs {
  std::span<const std::string_view> keys;
  storage::ListValue::End end = storage::ListValue::End::kFront;
  uint64_t count = 1;
};

// Reads the arguments from ctx.args[numkeys_at] on, in Redis's order (numkeys, the
// direction's position and word, COUNT); replies the error and returns nullopt when one is
// wrong.
std::optional<MultiPopArgs> ParseMultiPop(CommandContext& ctx, size_t numkeys_at);

// Replies [key, [element...]] for what was popped and propagates it as LPOP/RPOP key count.
void ReplyMultiPopped(CommandContext& ctx, storage::ListValue::End end,
                      const storage::MultiPopResult& popped);

}  // namespace ember::server
