// ProcessProbe: looks at a server process from the outside, for tests of resource limits:
// its memory and CPU time from /proc (current and peak resident set), a copy of one of its sockets
// (to read the options the server set on it), and the test process's own descriptor limit. Linux
// only; the server must be a child of the test process (pidfd_getfd's permission rule).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace ember::test {

// How much more resident memory the same work costs in a sanitizer build (its shadow
// memory and redzones), for bounds on a server's RSS: 1 in a normal build.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr int64_t kSanitizerRssFactor = 4;
#else
inline constexpr int64_t kSanitizerRssFactor = 1;
#endif

// What AddressSanitizer keeps of freed memory before reusing it (its quarantine, 256 MiB by
// default): a server that allocates and frees far more than that during a test holds this
// much more at its peak, whatever it really keeps. 0 in other builds.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr int64_t kSanitizerQuarantineBytes = int64_t{256} << 20;
#else
inline constexpr int64_t kSanitizerQuarantineBytes = 0;
#endif

// A field of /proc/<pid>/status in bytes ("VmRSS", "VmHWM"); -1 when unreadable.
int64_t ProcStatusBytes(pid_t pid, const std::string& field);

// The CPU time process `pid` has used (user + system), in milliseconds at the kernel's
// clock-tick resolution (usually 10 ms); -1 when unreadable.
int64_t ProcessCpuMillis(pid_t pid);

// A duplicate of descriptor `fd` of process `pid` (pidfd_getfd), or -1 with `error` set.
// The caller closes it.
int DuplicateDescriptorOf(pid_t pid, int fd, std::string* error);

// Raises this process's RLIMIT_NOFILE soft limit to its hard limit; returns the soft limit
// now in force.
uint64_t RaiseOwnDescriptorLimit();

}  // namespace ember::test
