// The value syntax every setting shares, as Redis 7.0's config.c reads it: yes/no, whole
// integers, memory sizes with units, and space-separated word lists. The registry
// (config_registry.h) validates and stores through these, so a value means the same in a
// flag, a config file line and CONFIG SET. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ember::server {

// Redis memory sizes: "1024", "1k" (1000), "1kb" (1024), "5mb", "1gb" (any letter case).
// Returns -1 when malformed or past int64's range (Redis would call the latter out of
// bounds; every bound here is within int64).
[[nodiscard]] int64_t ParseMemorySize(std::string_view text);

// A whole integer as Redis's string2ll reads it ("007", "+5" and " 5" are not integers).
[[nodiscard]] std::optional<int64_t> ParseConfigInteger(std::string_view text);

// "yes" or "no" in any letter case; nullopt otherwise.
[[nodiscard]] std::optional<bool> ParseYesNo(std::string_view text);
[[nodiscard]] std::string FormatYesNo(bool value);

[[nodiscard]] std::string LowerCase(std::string_view text);

// The words of `text` split on spaces, empty words dropped ("" gives no words).
[[nodiscard]] std::vector<std::string> SplitWords(std::string_view text);
// The words joined by single spaces.
[[nodiscard]] std::string JoinWords(const std::vector<std::string>& words);

// A list of listening addresses (bind, http-bind): at most Redis's 16, at least one unless
// `may_be_empty`. "" or Redis's problem text.
[[nodiscard]] std::string ValidateAddressList(std::string_view text, bool may_be_empty);

}  // namespace ember::server
