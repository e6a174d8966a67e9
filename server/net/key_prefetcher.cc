#include "server/net/key_prefetcher.h"

namespace ember::server {

void KeyPrefetcher::Clear() {
  ahead_.clear();
  next_ = 0;
}

void KeyPrefetcher::Start(std::string_view rest, const storage::Database& db,
                          const protocol::ParserLimits& limits) {
  Clear();
  lookahead_.set_limits(limits);
  lookahead_.Restart();
  while (ahead_.size() < kMaxAhead && !rest.empty()) {
    const protocol::ParseResult result = lookahead_.Parse(rest);
    if (result.status != protocol::ParseStatus::kComplete &&
        result.status != protocol::ParseStatus::kEmpty) {
      break;  // an incomplete or malformed command ends the look-ahead
    }
    rest.remove_prefix(result.consumed);
    if (result.status == protocol::ParseStatus::kEmpty) continue;
    const std::vector<std::string_view>& args = lookahead_.Args();
    Ahead ahead;
    if (args.size() >= 2) {
      ahead.hash = storage::Database::KeyHash(args[1]);
      ahead.has_key = true;
      db.PrefetchBucket(ahead.hash);
    }
    ahead_.push_back(ahead);
  }
}

void KeyPrefetcher::Next(const storage::Database& db) {
  // Call t runs command t of the batch (ahead_[t - 1] for t >= 1); ahead_[t + 1] is the
  // command two places later.
  if (next_ + 1 < ahead_.size() && ahead_[next_ + 1].has_key) {
    db.PrefetchEntry(ahead_[next_ + 1].hash);
  }
  ++next_;
}

}  // namespace ember::server
