#include "server/core/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "server/core/logger.h"

namespace ember::server {

FdLimitOutcome AdjustOpenFilesLimit(int64_t maxclients) {
  const uint64_t wanted = static_cast<uint64_t>(maxclients + kReservedFds);
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == -1) {
    Log(LogLevel::kWarning,
        "Unable to obtain the current NOFILE limit ({}), assuming 1024 and setting the max "
        "clients configuration accordingly.",
        std::strerror(errno));
    const int64_t fits = 1024 - kReservedFds;
    return {std::min(maxclients, fits), 1024, false};
  }
  const uint64_t original = limit.rlim_cur;
  if (original >= wanted) return {maxclients, original, false};

  // Beyond the hard limit needs privilege; a plain process stops at the hard limit.
  int raise_error = 0;
  rlimit attempt{wanted, std::max<rlim_t>(wanted, limit.rlim_max)};
  if (setrlimit(RLIMIT_NOFILE, &attempt) != 0) {
    raise_error = errno;
    attempt = {std::min<rlim_t>(wanted, limit.rlim_max), limit.rlim_max};
    if (attempt.rlim_cur <= original || setrlimit(RLIMIT_NOFILE, &attempt) != 0) {
      attempt.rlim_cur = original;
    }
  }
  const uint64_t best = attempt.rlim_cur;
  if (best >= wanted) {
    Log(LogLevel::kNotice,
        "Increased maximum number of open files to {} (it was originally set to {}).", best,
        original);
    return {maxclients, best, false};
  }
  if (best <= static_cast<uint64_t>(kReservedFds)) {
    Log(LogLevel::kWarning,
        "Your current 'ulimit -n' of {} is not enough for the server to start. Please increase "
        "your open file limit to at least {}. Exiting.",
        original, wanted);
    return {0, best, true};
  }
  const int64_t fits = static_cast<int64_t>(best) - kReservedFds;
  Log(LogLevel::kWarning,
      "You requested maxclients of {} requiring at least {} max file descriptors.", maxclients,
      wanted);
  Log(LogLevel::kWarning, "Server can't set maximum open files to {} because of OS error: {}.",
      wanted, std::strerror(raise_error));
  Log(LogLevel::kWarning,
      "Current maximum open files is {}. maxclients has been reduced to {} to compensate for low "
      "ulimit. If you need higher maxclients increase 'ulimit -n'.",
      best, fits);
  return {fits, best, false};
}

}  // namespace ember::server
