// ProcessProbe: looks at a server process from the outside, for tests of resource limits:
// its memory from /proc (current and peak resident set), a copy of one of its sockets (to
// read the options the server set on it), and the test process's own descriptor limit.
// Linux only; the server must be a child of the test process (pidfd_getfd's permission rule).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace ember::test {

// A field of /proc/<pid>/status in bytes ("VmRSS", "VmHWM"); -1 when unreadable.
int64_t ProcStatusBytes(pid_t pid, const std::string& field);

// A duplicate of descriptor `fd` of process `pid` (pidfd_getfd), or -1 with `error` set.
// The caller closes it.
int DuplicateDescriptorOf(pid_t pid, int fd, std::string* error);

// Raises this process's RLIMIT_NOFILE soft limit to its hard limit; returns the soft limit
// now in force.
uint64_t RaiseOwnDescriptorLimit();

}  // namespace ember::test
