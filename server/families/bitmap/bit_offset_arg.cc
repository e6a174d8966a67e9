#include "server/families/bitmap/bit_offset_arg.h"

#include "server/command/arg_parsing.h"

namespace ember::server {

std::optional<uint64_t> ParseBitOffset(std::string_view arg, int64_t max_bytes,
                                       unsigned field_width) {
  const bool in_fields = field_width > 0 && !arg.empty() && arg[0] == '#';
  std::optional<int64_t> parsed = ArgToInt64(in_fields ? arg.substr(1) : arg);
  if (!parsed.has_value()) return std::nullopt;
  int64_t offset = *parsed;
  if (in_fields) {
    offset = static_cast<int64_t>(static_cast<uint64_t>(offset) * field_width);
  }
  if (offset < 0 || (offset >> 3) >= max_bytes) return std::nullopt;
  return static_cast<uint64_t>(offset);
}

}  // namespace ember::server
