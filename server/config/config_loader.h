// Builds a ServerConfig from the command line the way redis-server reads it:
//
//   ember-server [/path/to/ember.conf] [--option value ...]
//
// The optional first argument is a redis.conf-style file (`name value...` per line, `#`
// comments, quoting as in inline commands). Flags use the same names and win over the
// file. Values are validated by CLI11; an unknown option or a malformed value is an error
// that names the option. Called once at startup; throws nothing.
#pragma once

#include <string>
#include <vector>

#include "server/config/server_config.h"

namespace ember::server {

struct ConfigLoadResult {
  enum class Outcome { kRun, kExitSuccess, kError };
  Outcome outcome = Outcome::kRun;
  ServerConfig config;
  std::string message;  // help/version text for kExitSuccess, the problem for kError
};

ConfigLoadResult LoadConfig(const std::vector<std::string>& argv);

// Parses Redis memory sizes: "1024", "1k" (1000), "1kb" (1024), "5mb", "1gb" (case
// insensitive). Returns -1 when malformed.
int64_t ParseMemorySize(const std::string& text);

}  // namespace ember::server
