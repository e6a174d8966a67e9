// The options of SCAN, HSCAN and SSCAN after the cursor, parsed once for all of them as
// Redis's scanGenericCommand does: `MATCH pattern` and `COUNT n` in any order and number
// (the last wins), and `TYPE t` for SCAN alone. A COUNT that is not an integer answers
// "not an integer"; one below 1 and any other word, a missing value included, a syntax error.
// Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ember::server {

struct ScanArgs {
  // The MATCH pattern; nullopt without MATCH or for "*", which matches everything and so
  // is skipped, as Redis does.
  std::optional<std::string_view> pattern;
  int64_t count = 10;
  std::optional<std::string_view> type;  // SCAN's TYPE
  std::string_view error;                // the error reply's text; empty when valid
};

// Parses args[first...]; `allow_type` accepts TYPE (SCAN).
ScanArgs ParseScanArgs(std::span<const std::string_view> args, size_t first, bool allow_type);

}  // namespace ember::server
