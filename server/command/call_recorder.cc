#include "server/command/call_recorder.h"

#include <vector>

#include "server/command/secret_arguments.h"

namespace ember::server {

CallRecorder::~CallRecorder() {
  const bool failed = out_.size() > mark_ && out_[mark_] == '-';
  CommandStats& stats = server_.command_stats();
  const bool counted_already = client_.error_reply_counted;
  client_.error_reply_counted = false;
  if (failed && !counted_already) {
    std::string_view error(out_.data() + mark_ + 1, out_.size() - mark_ - 1);
    stats.CountError(error);
    ++server_.stats().total_error_replies;
  }
  if (spec_ == nullptr) return;
  CommandCallStats& slot = stats.At(table_.IndexOf(*spec_));
  if (!ran_) {
    if (failed) ++slot.rejected_calls;
    return;
  }
  ++slot.calls;
  slot.usec += static_cast<uint64_t>(usec_);
  if (failed) ++slot.failed_calls;
  if (spec_->has_flag(kSkipSlowlog)) return;
  const ServerConfig& config = server_.config();
  // Passwords never enter the slow log (Redis shows them redacted too).
  std::vector<std::string_view> redacted;
  server_.slowlog().MaybeAdd(ShownArguments(args_, redacted), usec_, config.slowlog_log_slower_than,
                             config.slowlog_max_len, now_ms_ / 1000, client_.address, client_.name);
  server_.latency_monitor().MaybeAdd(spec_->has_flag(kFast) ? "fast-command" : "command",
                                     usec_ / 1000, config.latency_monitor_threshold,
                                     now_ms_ / 1000);
}

}  // namespace ember::server
