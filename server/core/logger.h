// Log lines in Redis's format, so log tooling built for Redis reads them:
//
//   <pid>:M 25 Nov 2026 19:20:00.123 * Ready to accept connections
//
// The level marks are Redis's: '.' debug, '-' verbose, '*' notice, '#' warning.
// Thread rule: called from the engine thread and at startup; writes are unbuffered lines.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace ember::server {

enum class LogLevel { kDebug = 0, kVerbose = 1, kNotice = 2, kWarning = 3, kNothing = 4 };

// Returns false and leaves the logger unchanged when `file` cannot be opened.
bool ConfigureLogging(std::string_view level, const std::string& file, std::string* error);
void LogLine(LogLevel level, std::string_view message);
// The role letter after the PID, as Redis writes it: 'M' for a primary, 'S' for a replica.
void SetLogRole(char role);

template <typename... Args>
void Log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  LogLine(level, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace ember::server
