// Startup check that the data directory (`dir`, already the working directory) accepts new
// files, so a server that could never persist what it acknowledges says so at once instead
// of at its first save, possibly an hour later.
//
// Threading: call once from main before the engine starts.
#pragma once

#include <string>

#include "server/config/server_config.h"

namespace ember::server {

// Creates and removes a probe file in the working directory. Returns true when that works.
// Otherwise fills `error` with the reason, and returns false only when persistence is
// configured (save points or appendonly); without persistence the failure is only logged as
// a warning and the server may run.
bool CheckDataDirWritable(const ServerConfig& config, std::string* error);

// The server reports failed writes itself (MISCONF, INFO), so a write past the file-size
// limit (`ulimit -f`) must fail with EFBIG instead of killing the process with SIGXFSZ.
void IgnoreFileSizeSignal();

}  // namespace ember::server
