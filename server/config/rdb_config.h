// The RDB snapshot options of the configuration (`save`, `rdbcompression`, `rdbchecksum`,
// `stop-writes-on-bgsave-error`): their CLI11 definitions and the parsing into ServerConfig,
// kept beside the feature rather than in the general loader.
//
// Threading: startup only.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "server/config/server_config.h"

namespace ember::server {

struct RdbOptionText {
  std::vector<std::string> save;  // words of every `save` line; "" entries mean "disable"
  CLI::Option* save_option = nullptr;
  std::string rdbcompression = "yes";
  std::string rdbchecksum = "yes";
  std::string stop_writes_on_bgsave_error = "yes";
};

void DefineRdbOptions(CLI::App& app, RdbOptionText& text);

// Fills the RDB fields of `config`. Returns "" or the error message. `save` follows Redis:
// pairs of "<seconds> <changes>" (one argument may hold several words, as in
// `--save "3600 1 300 100"`); an empty value disables snapshots; absent keeps the defaults.
std::string ApplyRdbOptions(const RdbOptionText& text, ServerConfig* config);

// Save points from "<seconds> <changes> ..." words; words that are not numbers are skipped
// (callers validate first, as CONFIG SET does). Empty text gives no save points.
std::vector<SavePoint> ParseSavePoints(std::string_view text);

// Whether a config-file line `save ...` extends the save points collected so far (Redis
// appends each `save` line; `save ""` resets).
inline bool AppendsToPreviousLines(const std::string& option_name) { return option_name == "save"; }

}  // namespace ember::server
