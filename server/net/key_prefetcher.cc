#include "server/net/key_prefetcher.h"

namespace ember::server {

void KeyPrefetcher::Clear() {
  hashes_.clear();
  scanned_ = 0;
  ran_ = 0;
}

void KeyPrefetcher::BeforeCommand(std::string_view key, std::string_view rest,
                                  const storage::Database& db,
                                  const protocol::ParserLimits& limits) {
  if (ran_ >= scanned_ && !rest.empty()) Start(key, rest, db, limits);
  ++ran_;
}

void KeyPrefetcher::Start(std::string_view key, std::string_view rest, const storage::Database& db,
                          const protocol::ParserLimits& limits) {
  Clear();
  if (!key.empty()) hashes_.push_back(storage::Database::KeyHash(key));
  scanned_ = 1;
  lookahead_.set_limits(limits);
  lookahead_.Restart();
  while (scanned_ < kMaxAhead && !rest.empty()) {
    const protocol::ParseResult result = lookahead_.Parse(rest);
    if (result.status != protocol::ParseStatus::kComplete &&
        result.status != protocol::ParseStatus::kEmpty) {
      break;  // an incomplete or malformed command ends the look-ahead
    }
    rest.remove_prefix(result.consumed);
    if (result.status == protocol::ParseStatus::kEmpty) continue;
    const std::vector<std::string_view>& args = lookahead_.Args();
    if (args.size() >= 2) hashes_.push_back(storage::Database::KeyHash(args[1]));
    ++scanned_;
  }
  // Each stage reads what the previous one loaded: its first read waits for that memory,
  // the others find it arrived.
  for (uint64_t hash : hashes_) db.PrefetchBucket(hash);
  for (uint64_t hash : hashes_) db.PrefetchEntry(hash);
  for (uint64_t hash : hashes_) db.PrefetchNextEntry(hash);
}

}  // namespace ember::server
