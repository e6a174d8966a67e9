// CommandStats: the counters behind INFO commandstats, errorstats and the instantaneous
// rates of INFO stats. The dispatcher records every call here (one array slot per command
// row, found by CommandTable::IndexOf, so recording allocates nothing once a command has
// been seen); CONFIG RESETSTAT zeroes it.
//
// Threading: engine thread only; owned by ServerState.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ember::server {

struct CommandCallStats {
  uint64_t calls = 0;
  uint64_t usec = 0;
  uint64_t rejected_calls = 0;  // refused before running (arity, auth...)
  uint64_t failed_calls = 0;    // ran and replied an error
};

// Redis's instantaneous_* metrics: a ring of samples taken by the cron, averaged.
class RateSampler {
 public:
  // Records the counter's value at `now_ms`; at most one sample per 100 ms is kept.
  void Sample(int64_t now_ms, uint64_t counter);
  // Average per-second rate over the kept samples.
  double PerSecond() const;
  void Reset() { *this = RateSampler(); }

 private:
  static constexpr size_t kSamples = 16;
  std::array<double, kSamples> rates_{};
  size_t next_ = 0;
  int64_t last_ms_ = 0;
  uint64_t last_counter_ = 0;
};

class CommandStats {
 public:
  // The slot of the command row with dense index `index` (CommandTable::IndexOf).
  CommandCallStats& At(size_t index) {
    if (index >= calls_.size()) calls_.resize(index + 1);
    return calls_[index];
  }
  const CommandCallStats* Find(size_t index) const {
    return index < calls_.size() ? &calls_[index] : nullptr;
  }

  // Counts one error reply by its code: the first word of `message` ("ERR", "WRONGTYPE").
  void CountError(std::string_view message);
  // Error codes and their counts, ordered by code.
  const std::map<std::string, uint64_t, std::less<>>& errors() const { return errors_; }
  uint64_t total_error_replies() const { return total_error_replies_; }

  RateSampler& ops_rate() { return ops_rate_; }
  RateSampler& input_rate() { return input_rate_; }
  RateSampler& output_rate() { return output_rate_; }

  // The allocator's usage as last sampled: the first sample is the startup figure.
  void NoteMemory(uint64_t used) {
    if (memory_startup_ == 0) memory_startup_ = used;
    if (used > memory_peak_) memory_peak_ = used;
  }
  uint64_t memory_peak() const { return memory_peak_; }
  uint64_t memory_startup() const { return memory_startup_; }

  // Zeroes the counters (CONFIG RESETSTAT); the memory figures stay.
  void Reset();

 private:
  std::vector<CommandCallStats> calls_;
  std::map<std::string, uint64_t, std::less<>> errors_;
  uint64_t total_error_replies_ = 0;
  RateSampler ops_rate_;
  RateSampler input_rate_;
  RateSampler output_rate_;
  uint64_t memory_peak_ = 0;
  uint64_t memory_startup_ = 0;
};

}  // namespace ember::server
