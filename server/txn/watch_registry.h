// WatchRegistry: which clients WATCH which keys, per database, so that a change to a key
// marks every client watching it (its next EXEC then fails), as Redis's touchWatchedKey
// does. ServerState owns it and feeds it the keyspace's modification reports
// (KeyspaceObserver::OnKeyModified / OnDatabaseReplaced); it keeps modification tracking on
// in the keyspace only while some key is watched.
//
// Threading: engine thread only. Clients must be unwatched (UnwatchAll) before they die.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/client_state.h"
#include "server/core/string_hash.h"
#include "storage/keyspace/keyspace.h"

namespace ember::server {

class WatchRegistry {
 public:
  // This registry's bit in Keyspace::set_track_modifications.
  static constexpr uint32_t kTrackingUser = 1;

  explicit WatchRegistry(storage::Keyspace& keyspace);

  // WATCH `key` of database `db` for `client` (a no-op when it already watches it).
  void Watch(ClientState& client, int db, std::string_view key, int64_t now_ms);
  // Forgets every key `client` watches; leaves its transaction flags alone.
  void UnwatchAll(ClientState& client);
  // EXEC's last check: a watched key that was alive at WATCH and has expired since (even if
  // nothing deleted it yet) counts as changed.
  bool AnyWatchedKeyExpired(const ClientState& client, int64_t now_ms) const;

  // Keyspace reports (see storage::KeyspaceObserver).
  void KeyModified(int db, std::string_view key);
  void DatabaseReplaced(int db, int replacement);

  // The clock used to judge expiry during a flush or swap; the dispatcher sets it per command.
  void set_now_ms(int64_t now_ms) { now_ms_ = now_ms; }
  // Distinct (database, key) pairs watched by at least one client.
  size_t watched_key_count() const;

 private:
  using Watchers = std::unordered_map<std::string, std::vector<ClientState*>, TransparentStringHash,
                                      std::equal_to<>>;

  void UpdateTracking();

  storage::Keyspace& keyspace_;
  std::vector<Watchers> by_db_;
  int64_t now_ms_ = 0;
};

}  // namespace ember::server
