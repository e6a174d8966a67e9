#include "server/net/key_prefetcher.h"

namespace ember::server {

void KeyPrefetcher::Clear() {
  keys_.clear();
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
  if (!key.empty()) keys_.push_back({key, storage::Database::KeyHash(key)});
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
    if (args.size() >= 2) keys_.push_back({args[1], storage::Database::KeyHash(args[1])});
    ++scanned_;
  }
  // Each stage reads what the previous one loaded: its first read waits for that memory,
  // the others find it arrived.
  for (const Key& ahead : keys_) db.PrefetchBucket(ahead.hash);
  for (const Key& ahead : keys_) db.PrefetchEntry(ahead.hash);
  for (const Key& ahead : keys_) db.PrefetchNextEntry(ahead.hash);
  PrefetchValues(db);
}

void KeyPrefetcher::PrefetchValues(const storage::Database& db) {
  values_.clear();
  for (const Key& key : keys_) {
    if (const storage::Entry* entry = db.PeekEntry(key.name, key.hash)) values_.push_back(entry);
  }
  // Each step keeps only the entries with more to load.
  for (int step = 0; step < kMaxValueSteps && !values_.empty(); ++step) {
    size_t kept = 0;
    for (const storage::Entry* entry : values_) {
      if (entry->PrefetchValue(step)) values_[kept++] = entry;
    }
    values_.resize(kept);
  }
}

}  // namespace ember::server
