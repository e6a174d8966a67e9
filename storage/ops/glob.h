// Redis's glob-style matching for KEYS, SCAN MATCH and CONFIG GET: `*`, `?`, `[abc]`,
// `[^a-z]`, `[!a]` is not special, `\x` escapes. Binary-safe.
#pragma once

#include <string_view>

namespace ember::storage {

// True when `text` matches `pattern`. Runs in O(|pattern| * |text|) time at worst, with
// no recursion, so hostile patterns such as "*a*a*a*a*b" cannot stall the server.
bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase = false);

}  // namespace ember::storage
