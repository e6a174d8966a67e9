// The LEFT|RIGHT argument of LMOVE, LMPOP (and the blocking forms to come), read as Redis's
// getListPositionFromObjectOrReply reads it: either word in any letter case; anything else
// is a syntax error for the caller to reply.
#pragma once

#include <optional>
#include <string_view>

#include "server/command/arg_parsing.h"
#include "storage/value/list_value.h"

namespace ember::server {

inline std::optional<storage::ListValue::End> ParseListEnd(std::string_view arg) {
  if (EqualsIgnoreCase(arg, "left")) return storage::ListValue::End::kFront;
  if (EqualsIgnoreCase(arg, "right")) return storage::ListValue::End::kBack;
  return std::nullopt;
}

}  // namespace ember::server
