#include "server/net/key_prefetcher.h"

#include <algorithm>
#include <charconv>

#include "server/command/arg_parsing.h"

namespace ember::server {
namespace {

// Commands whose keys follow a count: EVAL script numkeys key... arg...
bool TakesNumkeys(std::string_view name) {
  if (name.size() < 4 || name.size() > 10) return false;
  for (std::string_view command :
       {"evalsha", "eval", "fcall", "evalsha_ro", "eval_ro", "fcall_ro"}) {
    if (EqualsIgnoreCase(name, command)) return true;
  }
  return false;
}

}  // namespace

void KeyPrefetcher::Clear() {
  keys_.clear();
  scanned_ = 0;
  ran_ = 0;
}

void KeyPrefetcher::BeforeCommand(std::span<const std::string_view> args, std::string_view rest,
                                  const storage::Database& db,
                                  const protocol::ParserLimits& limits) {
  if (ran_ >= scanned_ && !rest.empty()) Start(args, rest, db, limits);
  ++ran_;
}

void KeyPrefetcher::AddKeysOf(std::span<const std::string_view> args) {
  if (args.size() < 2) return;
  if (args.size() >= 4 && TakesNumkeys(args[0])) {
    size_t numkeys = 0;
    const std::string_view count = args[2];
    if (std::from_chars(count.data(), count.data() + count.size(), numkeys).ec != std::errc()) {
      return;
    }
    const size_t end = 3 + std::min({numkeys, kMaxScriptKeys, args.size() - 3});
    for (size_t i = 3; i < end; ++i)
      keys_.push_back({args[i], storage::Database::KeyHash(args[i])});
    return;
  }
  keys_.push_back({args[1], storage::Database::KeyHash(args[1])});
}

void KeyPrefetcher::Start(std::span<const std::string_view> args, std::string_view rest,
                          const storage::Database& db, const protocol::ParserLimits& limits) {
  Clear();
  AddKeysOf(args);
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
    AddKeysOf(lookahead_.Args());
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
