#include "server/txn/watch_registry.h"

#include <algorithm>

namespace ember::server {
namespace {

WatchedKey* FindWatched(ClientState& client, int db, std::string_view key) {
  for (WatchedKey& watched : client.transaction.watched) {
    if (watched.db == db && watched.key == key) return &watched;
  }
  return nullptr;
}

}  // namespace

WatchRegistry::WatchRegistry(storage::Keyspace& keyspace)
    : keyspace_(keyspace), by_db_(static_cast<size_t>(keyspace.database_count())) {}

void WatchRegistry::Watch(ClientState& client, int db, std::string_view key, int64_t now_ms) {
  if (FindWatched(client, db, key) != nullptr) return;
  Watchers& watchers = by_db_[static_cast<size_t>(db)];
  auto it = watchers.find(key);
  if (it == watchers.end())
    it = watchers.emplace(std::string(key), std::vector<ClientState*>()).first;
  it->second.push_back(&client);
  client.transaction.watched.push_back(
      {db, std::string(key), keyspace_.db(db).IsKeyExpired(key, now_ms)});
  UpdateTracking();
}

void WatchRegistry::UnwatchAll(ClientState& client) {
  if (client.transaction.watched.empty()) return;
  for (const WatchedKey& watched : client.transaction.watched) {
    Watchers& watchers = by_db_[static_cast<size_t>(watched.db)];
    auto it = watchers.find(watched.key);
    if (it == watchers.end()) continue;
    std::erase(it->second, &client);
    if (it->second.empty()) watchers.erase(it);
  }
  client.transaction.watched.clear();
  client.transaction.watched.shrink_to_fit();
  UpdateTracking();
}

bool WatchRegistry::AnyWatchedKeyExpired(const ClientState& client, int64_t now_ms) const {
  for (const WatchedKey& watched : client.transaction.watched) {
    if (watched.expired_at_watch) continue;
    if (keyspace_.db(watched.db).IsKeyExpired(watched.key, now_ms)) return true;
  }
  return false;
}

void WatchRegistry::KeyModified(int db, std::string_view key) {
  Watchers& watchers = by_db_[static_cast<size_t>(db)];
  auto it = watchers.find(key);
  if (it == watchers.end()) return;
  const bool exists = keyspace_.db(db).Contains(key);
  for (ClientState* client : it->second) {
    WatchedKey* watched = FindWatched(*client, db, key);
    // A key that was already expired at WATCH time and is now gone (reclaimed by expiry)
    // is logically unchanged: it stays missing. It is no longer "expired" from here on.
    if (watched != nullptr && watched->expired_at_watch) {
      watched->expired_at_watch = false;
      if (!exists) continue;
    }
    client->transaction.watch_dirty = true;
  }
}

// Redis's touchAllWatchedKeysInDb: every watched key of `db` that exists there, or in the
// database replacing it, changes; expired keys that stay expired or vanish do not count.
void WatchRegistry::DatabaseReplaced(int db, int replacement) {
  const storage::Database& emptied = keyspace_.db(db);
  const storage::Database* replaced_with = replacement >= 0 ? &keyspace_.db(replacement) : nullptr;
  for (auto& [key, clients] : by_db_[static_cast<size_t>(db)]) {
    const bool in_emptied = emptied.Contains(key);
    const bool in_replacement = replaced_with != nullptr && replaced_with->Contains(key);
    if (!in_emptied && !in_replacement) continue;
    for (ClientState* client : clients) {
      WatchedKey* watched = FindWatched(*client, db, key);
      if (watched != nullptr && watched->expired_at_watch) {
        if (!in_replacement) {
          watched->expired_at_watch = false;  // the expired key is gone: no logical change
          continue;
        }
        if (replaced_with->IsKeyExpired(key, now_ms_)) continue;  // still expired
      } else if (watched != nullptr && !in_emptied && replaced_with->IsKeyExpired(key, now_ms_)) {
        watched->expired_at_watch = true;  // a missing key replaced by an expired one
        continue;
      }
      client->transaction.watch_dirty = true;
    }
  }
}

size_t WatchRegistry::watched_key_count() const {
  size_t count = 0;
  for (const Watchers& watchers : by_db_) count += watchers.size();
  return count;
}

void WatchRegistry::UpdateTracking() {
  bool any = false;
  for (const Watchers& watchers : by_db_) any = any || !watchers.empty();
  keyspace_.set_track_modifications(kTrackingUser, any);
}

}  // namespace ember::server
