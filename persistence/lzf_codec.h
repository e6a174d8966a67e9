// LZF compression as RDB strings use it, wrapping Debian's liblzf (the same algorithm and
// stream format Redis embeds), so compressed strings round-trip with redis-server.
//
// Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ember::persistence {

// Compresses `input`. Returns nullopt when compression would not save at least 4 bytes
// (the rule Redis applies before choosing the LZF encoding), so callers store it raw.
std::optional<std::string> LzfCompress(std::string_view input);

// Decompresses `compressed` into exactly `original_length` bytes. Returns false when the
// stream is malformed or does not expand to exactly that length.
bool LzfDecompress(std::string_view compressed, size_t original_length, std::string* out);

}  // namespace ember::persistence
