#include "server/command/slowlog.h"

#include <fmt/format.h>

#include <algorithm>

namespace ember::server {
namespace {

std::string Truncated(std::string_view arg) {
  if (arg.size() <= Slowlog::kMaxArgBytes) return std::string(arg);
  return fmt::format("{}... ({} more bytes)", arg.substr(0, Slowlog::kMaxArgBytes),
                     arg.size() - Slowlog::kMaxArgBytes);
}

}  // namespace

void Slowlog::MaybeAdd(std::span<const std::string_view> args, int64_t duration_usec,
                       int64_t threshold_usec, int64_t max_len, int64_t unix_seconds,
                       std::string_view client_address, std::string_view client_name) {
  if (threshold_usec < 0 || duration_usec < threshold_usec) return;
  SlowlogEntry entry;
  entry.id = next_id_++;
  entry.unix_seconds = unix_seconds;
  entry.duration_usec = duration_usec;
  // Past kMaxArgs arguments, the last slot says how many were left out.
  const size_t kept = args.size() > kMaxArgs ? kMaxArgs - 1 : args.size();
  entry.args.reserve(kept + 1);
  for (size_t i = 0; i < kept; ++i) entry.args.push_back(Truncated(args[i]));
  if (kept < args.size()) {
    entry.args.push_back(fmt::format("... ({} more arguments)", args.size() - kept));
  }
  entry.client_address = client_address;
  entry.client_name = client_name;
  entries_.push_front(std::move(entry));
  Trim(max_len);
}

void Slowlog::Trim(int64_t max_len) {
  const size_t limit = max_len < 0 ? 0 : static_cast<size_t>(max_len);
  while (entries_.size() > limit) entries_.pop_back();
}

void LatencyMonitor::MaybeAdd(std::string_view event, int64_t latency_ms, int64_t threshold_ms,
                              int64_t unix_seconds) {
  if (threshold_ms <= 0 || latency_ms < threshold_ms) return;
  auto it =
      std::find_if(events_.begin(), events_.end(), [&](const Event& e) { return e.name == event; });
  if (it == events_.end()) {
    events_.push_back(Event{std::string(event), {}, 0});
    it = events_.end() - 1;
  }
  it->max_ms = std::max(it->max_ms, latency_ms);
  // Samples within the same second merge, keeping the worst, as Redis does.
  if (!it->history.empty() && it->history.back().unix_seconds == unix_seconds) {
    it->history.back().latency_ms = std::max(it->history.back().latency_ms, latency_ms);
    return;
  }
  if (it->history.size() == kHistory) it->history.erase(it->history.begin());
  it->history.push_back({unix_seconds, latency_ms});
}

size_t LatencyMonitor::Reset(std::span<const std::string_view> names) {
  if (names.empty()) {
    const size_t count = events_.size();
    events_.clear();
    return count;
  }
  size_t removed = 0;
  for (std::string_view name : names) {
    removed += std::erase_if(events_, [&](const Event& e) { return e.name == name; });
  }
  return removed;
}

const LatencyMonitor::Event* LatencyMonitor::Find(std::string_view name) const {
  for (const Event& event : events_) {
    if (event.name == name) return &event;
  }
  return nullptr;
}

}  // namespace ember::server
