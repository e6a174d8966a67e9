// The LEFT|RIGHT argument of LMOVE, LMPOP and the blocking forms, read as Redis's
// getListPositionFromObjectOrReply reads it: either word in any letter case; anything else
// is a syntax error for the caller to reply. And the keyspace events of a push or pop at an
// end, as Redis names them.
#pragma once

#include <optional>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "server/command/command_context.h"
#include "server/pubsub/keyspace_events.h"
#include "storage/value/list_value.h"

namespace ember::server {

inline std::optional<storage::ListValue::End> ParseListEnd(std::string_view arg) {
  if (EqualsIgnoreCase(arg, "left")) return storage::ListValue::End::kFront;
  if (EqualsIgnoreCase(arg, "right")) return storage::ListValue::End::kBack;
  return std::nullopt;
}

inline std::string_view PushEvent(storage::ListValue::End end) {
  return end == storage::ListValue::End::kFront ? "lpush" : "rpush";
}
inline std::string_view PopEvent(storage::ListValue::End end) {
  return end == storage::ListValue::End::kFront ? "lpop" : "rpop";
}

// LMOVE and its kin, source args[1], destination args[2]: Redis raises the destination's
// push event, then the source's pop event (then the source's "del" if it emptied).
inline void NotifyMoved(CommandContext& ctx, storage::ListValue::End from,
                        storage::ListValue::End to) {
  ctx.Notify(kNotifyList, PushEvent(to), ctx.args[2]);
  ctx.Notify(kNotifyList, PopEvent(from), ctx.args[1]);
}

}  // namespace ember::server
