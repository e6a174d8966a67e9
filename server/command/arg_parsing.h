// Helpers handlers share for reading arguments the way Redis reads them.
#pragma once

#include <optional>
#include <string_view>

#include "storage/value/number_format.h"

namespace ember::server {

// ASCII case-insensitive equality (option names such as "EX", "nx").
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// An integer argument with Redis's strict rules (see storage::ParseInt64).
inline std::optional<int64_t> ArgToInt64(std::string_view arg) { return storage::ParseInt64(arg); }

}  // namespace ember::server
