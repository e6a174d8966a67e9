// Builds a ServerConfig from the command line the way redis-server reads it:
//
//   ember-server [/path/to/ember.conf] [--option value ...]
//
// The optional first argument is a redis.conf-style file (`name value...` per line, `#`
// comments, quoting as in inline commands); a `save` or `client-output-buffer-limit` line
// adds to the earlier ones, any other repeated line replaces them. Flags use the same
// names and replace what the file says. Every option is a setting of the registry
// (config_registry.h) and passes the same rule as CONFIG SET; an unknown option or a
// malformed value is an error that names the option. `-h`/`--help` and `-v`/`--version`
// answer with text instead of a configuration.
//
// Called once at startup, before any other thread; throws nothing.
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

[[nodiscard]] ConfigLoadResult LoadConfig(const std::vector<std::string>& argv);

}  // namespace ember::server
