// The `save` setting's value: "<seconds> <changes>" pairs, as Redis 7.0 reads them from a
// config line, a flag (`--save "3600 1 300 100"`) or CONFIG SET. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/config/server_config.h"

namespace ember::server {

// "" when `text` is whole pairs of non-negative integers (or empty: no save points), else
// Redis's problem text.
[[nodiscard]] std::string ValidateSavePoints(std::string_view text);
// The save points of a validated `text`; empty text gives none.
[[nodiscard]] std::vector<SavePoint> ParseSavePoints(std::string_view text);

}  // namespace ember::server
