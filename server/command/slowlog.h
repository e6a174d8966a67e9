// Slowlog: the commands whose execution took at least `slowlog-log-slower-than`
// microseconds, newest first, at most `slowlog-max-len` of them (SLOWLOG GET/LEN/RESET).
// Arguments are stored truncated as Redis stores them (32 arguments, 128 bytes each), so
// one huge command cannot pin megabytes in the log.
//
// Threading: engine thread only; owned by ServerState.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ember::server {

struct SlowlogEntry {
  uint64_t id = 0;
  int64_t unix_seconds = 0;
  int64_t duration_usec = 0;
  std::vector<std::string> args;
  std::string client_address;
  std::string client_name;
};

class Slowlog {
 public:
  static constexpr size_t kMaxArgs = 32;
  static constexpr size_t kMaxArgBytes = 128;

  // Logs the command when `duration_usec` reaches `threshold_usec` (negative: never), then
  // trims the log to `max_len` entries.
  void MaybeAdd(std::span<const std::string_view> args, int64_t duration_usec,
                int64_t threshold_usec, int64_t max_len, int64_t unix_seconds,
                std::string_view client_address, std::string_view client_name);
  // Trims to `max_len` entries (after CONFIG SET slowlog-max-len).
  void Trim(int64_t max_len);
  void Reset() { entries_.clear(); }

  // Newest first.
  const std::deque<SlowlogEntry>& entries() const { return entries_; }

 private:
  std::deque<SlowlogEntry> entries_;
  uint64_t next_id_ = 0;
};

// The latency monitor behind LATENCY LATEST / HISTORY / RESET: per event, the latest and
// the highest latency over `latency-monitor-threshold` milliseconds, and a short history.
class LatencyMonitor {
 public:
  struct Sample {
    int64_t unix_seconds = 0;
    int64_t latency_ms = 0;
  };
  struct Event {
    std::string name;
    std::vector<Sample> history;  // oldest first, at most kHistory samples
    int64_t max_ms = 0;
  };
  static constexpr size_t kHistory = 160;

  // Records `latency_ms` for `event` when the monitor is enabled (threshold > 0) and the
  // latency reaches the threshold.
  void MaybeAdd(std::string_view event, int64_t latency_ms, int64_t threshold_ms,
                int64_t unix_seconds);
  // Clears the named events (all of them when `names` is empty); returns how many were.
  size_t Reset(std::span<const std::string_view> names);
  const std::vector<Event>& events() const { return events_; }
  const Event* Find(std::string_view name) const;

 private:
  std::vector<Event> events_;
};

}  // namespace ember::server
