// The open-files limit that maxclients needs, as Redis's adjustOpenFilesLimit: every
// client is a descriptor, and CONFIG_MIN_RESERVED_FDS (32) more are kept for listening
// sockets, log and data files. When RLIMIT_NOFILE's soft limit is too low it is raised
// (up to the hard limit, or beyond it when the process may); when even that is not enough,
// maxclients is lowered to what fits. Both steps are logged with Redis's warnings.
// Process-wide state; engine thread (or startup) only.
#pragma once

#include <cstdint>

namespace ember::server {

inline constexpr int64_t kReservedFds = 32;

struct FdLimitOutcome {
  // The maxclients the descriptor limit allows: the requested one, or lower.
  int64_t maxclients = 0;
  // The soft RLIMIT_NOFILE in force afterwards.
  uint64_t open_files = 0;
  // True when not even the reserved descriptors fit: the server cannot start.
  bool too_low_to_start = false;
};

// Raises RLIMIT_NOFILE for `maxclients` clients if needed and reports what fits. Logs
// Redis's warnings when it has to lower maxclients, and a notice when it raised the limit.
FdLimitOutcome AdjustOpenFilesLimit(int64_t maxclients);

}  // namespace ember::server
