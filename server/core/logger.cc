#include "server/core/logger.h"

#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace ember::server {
namespace {

struct LoggerState {
  LogLevel min_level = LogLevel::kNotice;
  FILE* out = stdout;
  char role = 'M';
};

// Logging is process-wide by nature (startup, signals, every connection), so its state is
// one object configured once at startup.
LoggerState& State() {
  static LoggerState state;
  return state;
}

LogLevel ParseLevel(std::string_view level) {
  if (level == "debug") return LogLevel::kDebug;
  if (level == "verbose") return LogLevel::kVerbose;
  if (level == "warning") return LogLevel::kWarning;
  if (level == "nothing") return LogLevel::kNothing;
  return LogLevel::kNotice;
}

}  // namespace

bool ConfigureLogging(std::string_view level, const std::string& file, std::string* error) {
  LoggerState& state = State();
  if (!file.empty()) {
    FILE* out = std::fopen(file.c_str(), "a");
    if (out == nullptr) {
      *error = fmt::format("can't open the log file '{}'", file);
      return false;
    }
    state.out = out;
  }
  state.min_level = ParseLevel(level);
  return true;
}

void SetLogRole(char role) { State().role = role; }

void LogLine(LogLevel level, std::string_view message) {
  LoggerState& state = State();
  if (level < state.min_level) return;
  static constexpr char kMarks[] = {'.', '-', '*', '#', ' '};
  timeval tv;
  gettimeofday(&tv, nullptr);
  tm local;
  localtime_r(&tv.tv_sec, &local);
  char when[64];
  size_t n = std::strftime(when, sizeof(when), "%d %b %Y %H:%M:%S", &local);
  std::string line =
      fmt::format("{}:{} {}.{:03d} {} {}\n", getpid(), state.role, std::string_view(when, n),
                  static_cast<int>(tv.tv_usec / 1000), kMarks[static_cast<int>(level)], message);
  std::fwrite(line.data(), 1, line.size(), state.out);
  std::fflush(state.out);
}

}  // namespace ember::server
