// Parsing of the bit offsets that SETBIT, GETBIT and BITFIELD take (Redis's
// getBitOffsetFromArgument). Pure; safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ember::server {

// The bit offset written in `arg`: a non-negative integer whose byte (offset / 8) is below
// `max_bytes` (proto-max-bulk-len). With `field_width` > 0 (BITFIELD), "#N" means N fields
// of that width, N * field_width bits (multiplied with wrap-around, as Redis does). Nullopt
// when the text is not such an offset; callers reply kErrBitOffset.
std::optional<uint64_t> ParseBitOffset(std::string_view arg, int64_t max_bytes,
                                       unsigned field_width = 0);

}  // namespace ember::server
