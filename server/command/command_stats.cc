#include "server/command/command_stats.h"

namespace ember::server {

void RateSampler::Sample(int64_t now_ms, uint64_t counter) {
  if (last_ms_ == 0) {
    last_ms_ = now_ms;
    last_counter_ = counter;
    return;
  }
  const int64_t elapsed = now_ms - last_ms_;
  if (elapsed < 100) return;
  const uint64_t delta = counter >= last_counter_ ? counter - last_counter_ : 0;
  rates_[next_] = static_cast<double>(delta) * 1000.0 / static_cast<double>(elapsed);
  next_ = (next_ + 1) % kSamples;
  last_ms_ = now_ms;
  last_counter_ = counter;
}

double RateSampler::PerSecond() const {
  double sum = 0;
  for (double rate : rates_) sum += rate;
  return sum / static_cast<double>(kSamples);
}

void CommandStats::CountError(std::string_view message) {
  if (!message.empty() && message.front() == '-') message.remove_prefix(1);
  std::string_view code = message.substr(0, message.find_first_of(" \r\n"));
  ++total_error_replies_;
  auto it = errors_.find(code);
  if (it == errors_.end()) {
    // Redis stops tracking new codes past 128 distinct ones, so a flood of odd errors
    // cannot grow the table without bound.
    if (errors_.size() >= 128) return;
    it = errors_.emplace(std::string(code), 0).first;
  }
  ++it->second;
}

void CommandStats::Reset() {
  for (CommandCallStats& slot : calls_) slot = {};
  errors_.clear();
  total_error_replies_ = 0;
  ops_rate_.Reset();
  input_rate_.Reset();
  output_rate_.Reset();
}

}  // namespace ember::server
