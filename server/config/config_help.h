// The text of `ember-server --help` and `--version`. The option list is generated from
// the settings registry (config_registry.h): every setting, grouped by subsystem, with its
// value syntax, its one-line help, its default and whether CONFIG SET may change it.
// Pure functions; startup only.
#pragma once

#include <string>

namespace ember::server {

[[nodiscard]] std::string ConfigHelpText();
// "ember-server v<version>".
[[nodiscard]] std::string VersionText();

}  // namespace ember::server
