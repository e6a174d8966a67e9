// TrackingRegistry: client-side caching (CLIENT TRACKING), Redis 7.0's tracking.c.
//
// Default mode: after a read-only command, a tracking client's keys are remembered (key
// name → ids of the clients that read it; databases are not told apart, as in Redis). When
// a remembered key changes — by a command, expiry or eviction, wherever WATCH is touched —
// each of those clients is sent one invalidation and the key is forgotten until read again.
// BCAST mode: nothing is remembered; every key changed under one of the client's prefixes is
// collected, and once per turn of the event loop each prefix sends its clients one
// invalidation listing its keys (sorted), as Redis does in beforeSleep. FLUSHDB, FLUSHALL and
// SWAPDB send every tracking client an invalidation with a null key list.
//
// Delivery: an invalidation is rendered into the outbox of the client that receives it
// (server/core/wake_queue.h), so a client's own invalidation follows its reply, and a
// transaction's follow EXEC. It is a RESP3 push ["invalidate", keys]; a RESP2 client gets
// invalidations only through a redirection to a client in pub/sub mode, as a message on
// `__redis__:invalidate`. A redirection whose client is gone marks the tracking client
// broken (and tells it, in RESP3, with a "tracking-redir-broken" push). NOLOOP clients get
// no invalidation for keys the command they ran themselves changed.
//
// Bound: tracking-table-max-keys. Past it, keys picked at random are invalidated (their
// clients told) until the table is back under the limit, with an effort that grows while it
// stays over, as Redis's trackingLimitUsedSlots.
//
// Threading: engine thread only. Owned by ServerState.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/core/client_state.h"
#include "server/core/string_hash.h"
#include "server/core/wake_queue.h"
#include "storage/keyspace/keyspace.h"

namespace ember::server {

struct TrackingOptions {
  uint64_t redirect = 0;
  bool bcast = false;
  bool optin = false;
  bool optout = false;
  bool noloop = false;
};

class TrackingRegistry {
 public:
  // The connected client with an id, or nullptr.
  using ClientLookup = std::function<ClientState*(uint64_t id)>;

  TrackingRegistry(WakeQueue& wakeups, storage::Keyspace& keyspace, ClientLookup lookup)
      : wakeups_(wakeups), keyspace_(keyspace), lookup_(std::move(lookup)) {}
  TrackingRegistry(const TrackingRegistry&) = delete;
  TrackingRegistry& operator=(const TrackingRegistry&) = delete;

  // CLIENT TRACKING ON (the caller has checked the options as Redis does): turns tracking on
  // or changes its options; with BCAST, adds `prefixes` (none: the empty prefix, every key).
  void Enable(ClientState& client, const TrackingOptions& options,
              std::span<const std::string_view> prefixes);
  // CLIENT TRACKING OFF, RESET, disconnect. Keys it read stay remembered until they change.
  void Disable(ClientState& client);
  // Redis's prefix rule for one client: no prefix may be a prefix of another. Returns "" or
  // Redis's error text (without "ERR ").
  static std::string PrefixCollision(const ClientState& client,
                                     std::span<const std::string_view> prefixes);

  // Whether a read by `client` now is remembered: tracking on, not BCAST, and OPTIN/OPTOUT
  // with CLIENT CACHING as Redis decides.
  static bool RemembersReads(const ClientState& client);
  void RememberKey(const ClientState& reader, std::string_view key);

  // `key` changed while `current` (or nullptr: no command) ran. Cheap when nothing is
  // remembered and no client broadcasts.
  void KeyModified(std::string_view key, const ClientState* current) {
    if (!table_.empty() || !prefixes_.empty()) Invalidate(key, current);
  }
  // A flush or a swap of databases: a null invalidation for every tracking client.
  void InvalidateAll();
  // Sends the BCAST invalidations collected since the last call. Runs once per loop turn
  // (the scheduler set below posts it) or directly in tests.
  void DeliverBroadcasts();
  // Called when the first key of a turn is collected for BCAST; unset, nothing is scheduled
  // and DeliverBroadcasts must be called by the owner.
  void set_broadcast_scheduler(std::function<void()> schedule) {
    schedule_broadcast_ = std::move(schedule);
  }
  // tracking-table-max-keys (0: no bound); cheap while under it.
  void LimitKeys(uint64_t max_keys);

  size_t tracking_clients() const { return trackers_.size(); }
  size_t total_keys() const { return table_.size(); }
  uint64_t total_items() const { return total_items_; }
  size_t total_prefixes() const { return prefixes_.size(); }

 private:
  struct Prefix {
    std::vector<ClientState*> clients;
    // Keys changed this turn → id of the client whose command changed them (0: none).
    std::map<std::string, uint64_t, std::less<>> keys;
  };
  using KeyTable = std::unordered_map<std::string, std::vector<uint64_t>, TransparentStringHash,
                                      std::equal_to<>>;

  void Invalidate(std::string_view key, const ClientState* current);
  // The keys modified this turn under each prefix, for BCAST.
  void CollectForBroadcast(std::string_view key, const ClientState* current);
  // Invalidates one remembered key for the clients that read it.
  void InvalidateTracked(std::string_view key, const ClientState* current);
  // Sends `tracker` one invalidation whose key list is `keys`, already rendered (an array,
  // or a null), to it or to its redirection.
  void Send(ClientState& tracker, std::string_view keys);
  void UpdateKeyspaceHook();

  static constexpr uint32_t kTrackingUser = 4;  // this registry's bit in the keyspace hook

  WakeQueue& wakeups_;
  storage::Keyspace& keyspace_;
  ClientLookup lookup_;
  KeyTable table_;
  uint64_t total_items_ = 0;
  std::map<std::string, Prefix, std::less<>> prefixes_;
  std::vector<ClientState*> trackers_;  // clients with tracking on, in the order enabled
  bool broadcast_pending_ = false;
  std::function<void()> schedule_broadcast_;
  unsigned limit_rounds_over_ = 0;  // LimitKeys calls in a row that ended over the limit
  std::minstd_rand random_{0x7472616bu};
};

}  // namespace ember::server
