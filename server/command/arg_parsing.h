// Helpers handlers share for reading arguments the way Redis reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "storage/value/number_format.h"

namespace ember::server {

// ASCII case-insensitive equality (option names such as "EX", "nx").
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// An integer argument with Redis's strict rules (see storage::ParseInt64).
inline std::optional<int64_t> ArgToInt64(std::string_view arg) { return storage::ParseInt64(arg); }

// An int argument read as Redis's getIntFromObjectOrReply reads it (database indexes): an
// integer, else `*error` is kErrNotInteger's text; then within int, else kErrNotInt32's.
std::optional<int> ArgToInt32(std::string_view arg, std::string_view* error);

// A SCAN/HSCAN/SSCAN cursor read as Redis's parseScanCursorOrReply reads it (strtoul): an
// optional sign (a negative cursor wraps), digits to the end, no leading space, no overflow.
// The empty string reads as 0. nullopt means "ERR invalid cursor".
std::optional<uint64_t> ParseScanCursor(std::string_view arg);

}  // namespace ember::server
