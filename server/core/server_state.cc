#include "server/core/server_state.h"

#include <algorithm>
#include <array>

#include "server/core/clock.h"
#include "server/core/server_metrics.h"
#include "server/replication/full_sync.h"

namespace ember::server {

ServerState::ServerState(ServerConfig config)
    : config_(std::move(config)), keyspace_(config_.databases) {
  keyspace_.set_observer(this);
  storage::ActiveExpireConfig expire_config;
  expire_config.hz = config_.hz;
  // Redis's active-expire-effort (1..10) raises the keys sampled per loop by 25% a step.
  expire_config.keys_per_loop = 20 + 20 / 4 * (config_.active_expire_effort - 1);
  active_expirer_.set_config(expire_config);
  ApplyMemoryPolicy();
  ApplyEncodingLimits();
  ApplyKeyspaceEvents();
}

uint64_t ServerState::MemoryForEviction() const {
  const uint64_t used = UsedMemory();
  const uint64_t not_counted = aof_.log.buffered_bytes();
  return used > not_counted ? used - not_counted : 0;
}

void ServerState::ApplyMemoryPolicy() {
  const storage::EvictionPolicy policy = storage::ParseEvictionPolicy(config_.maxmemory_policy)
                                             .value_or(storage::EvictionPolicy::kNoEviction);
  if (policy != eviction_config_.policy) evictor_.ClearPool();
  eviction_config_.policy = policy;
  eviction_config_.samples =
      static_cast<int>(std::clamp<int64_t>(config_.maxmemory_samples, 1, 64));
  storage::AccessTracking tracking = keyspace_.access_tracking();
  tracking.mode = storage::AccessModeFor(policy);
  tracking.lfu_log_factor = config_.lfu_log_factor;
  tracking.lfu_decay_time = config_.lfu_decay_time;
  keyspace_.set_access_tracking(tracking);
}

void ServerState::ApplyEncodingLimits() {
  storage::EncodingLimits limits;
  limits.hash_max_listpack_entries = config_.hash_max_listpack_entries;
  limits.hash_max_listpack_value = config_.hash_max_listpack_value;
  limits.set_max_intset_entries = config_.set_max_intset_entries;
  limits.list_max_listpack_size = static_cast<int>(config_.list_max_listpack_size);
  limits.list_compress_depth = static_cast<int>(config_.list_compress_depth);
  limits.zset_max_listpack_entries = config_.zset_max_listpack_entries;
  limits.stream_node_max_bytes = config_.stream_node_max_bytes;
  limits.stream_node_max_entries = config_.stream_node_max_entries;
  limits.zset_max_listpack_value = config_.zset_max_listpack_value;
  keyspace_.set_encoding_limits(limits);
}

namespace {

class EvictionGauge : public storage::MemoryGauge {
 public:
  explicit EvictionGauge(const ServerState& state) : state_(state) {}
  uint64_t UsedBytes() const override { return state_.MemoryForEviction(); }

 private:
  const ServerState& state_;
};

}  // namespace

storage::EvictionResult ServerState::EvictIfNeeded(int64_t now_ms) {
  if (config_.maxmemory <= 0) return storage::EvictionResult::kOk;
  const auto maxmemory = static_cast<uint64_t>(config_.maxmemory);
  if (MemoryForEviction() <= maxmemory) return storage::EvictionResult::kOk;
  return evictor_.Run(keyspace_, eviction_config_, maxmemory, EvictionGauge(*this), now_ms);
}

void ServerState::Propagate(int db, std::span<const std::string_view> argv, uint64_t changes) {
  dirty_ += changes;
  if (propagation_targets_ == 0) return;
  ++propagated_commands_;
  if (propagation_depth_ > 0) {
    held_commands_.push_back(
        {db, std::vector<std::string>(argv.begin(), argv.end()), propagation_targets_});
    return;
  }
  Emit(db, argv, propagation_targets_);
}

// The MULTI/EXEC around held commands goes wherever any of them goes.
void ServerState::EndPropagationBlock() {
  if (propagation_depth_ == 0 || --propagation_depth_ > 0) return;
  std::vector<HeldCommand> held = std::move(held_commands_);
  held_commands_.clear();
  const bool bracket = held.size() > 1;
  int bracket_targets = 0;
  for (const HeldCommand& command : held) bracket_targets |= command.targets;
  if (bracket) {
    const std::array<std::string_view, 1> multi = {"MULTI"};
    Emit(held.front().db, multi, bracket_targets);
  }
  std::vector<std::string_view> views;
  for (const HeldCommand& command : held) {
    views.assign(command.argv.begin(), command.argv.end());
    Emit(command.db, views, command.targets);
  }
  if (bracket) {
    const std::array<std::string_view, 1> exec = {"EXEC"};
    Emit(held.back().db, exec, bracket_targets);
  }
}

void ServerState::DiscardPropagationBlock() {
  if (propagation_depth_ > 0) --propagation_depth_;
  held_commands_.clear();
}

void ServerState::Emit(int db, std::span<const std::string_view> argv, int targets) {
  if (aof_.on && (targets & kPropagateAof) != 0) aof_.log.Append(db, argv);
  if ((targets & kPropagateReplicas) == 0) return;
  replication_.Feed(db, argv, wakeups_);
  if (propagation_listener_) propagation_listener_(db, argv);
}

// Expiry and eviction deletions go out at once, even inside EXEC, as in Redis 7.0.
void ServerState::OnKeyRemoved(int db, std::string_view key, storage::RemovalCause cause) {
  std::array<std::string_view, 2> argv = {"DEL", key};
  ++propagated_commands_;
  Emit(db, argv);
  if (cause == storage::RemovalCause::kExpired) {
    notifier_.RaiseNow(kNotifyExpired, "expired", db, key);
  } else {
    notifier_.RaiseNow(kNotifyEvicted, "evicted", db, key);
  }
}

void ServerState::ApplyKeyspaceEvents() {
  notifier_.set_flags(config_.notify_keyspace_events);
  keyspace_.set_key_events(notifier_.active());
}

void ServerState::PauseClients(int64_t now_ms, int64_t end_ms, bool writes_only) {
  const bool active = clients_paused(now_ms);
  pause_writes_only_ = active ? pause_writes_only_ && writes_only : writes_only;
  pause_end_ms_ = active ? std::max(pause_end_ms_, end_ms) : end_ms;
  for (ClientState* client : held_for_pause_) wakeups_.Wake(*client);
}

void ServerState::UnpauseClients() {
  pause_end_ms_ = 0;
  for (ClientState* client : held_for_pause_) wakeups_.Wake(*client);
}

void ServerState::HoldForPause(ClientState& client) {
  if (client.blocked) return;
  client.blocked = true;
  held_for_pause_.push_back(&client);
}

void ServerState::ReleaseFromPause(ClientState& client) {
  if (!client.blocked) return;
  client.blocked = false;
  std::erase(held_for_pause_, &client);
}

void ServerState::WakeHeldIfPauseEnded(int64_t now_ms) {
  if (clients_paused(now_ms)) return;
  for (ClientState* client : held_for_pause_) wakeups_.Wake(*client);
  wakeups_.Deliver();
}

void ServerState::RegisterClient(ClientState* client) { clients_[client->id] = client; }

void ServerState::UnregisterClient(ClientState* client) {
  watches_.UnwatchAll(*client);
  blocked_clients_.Unblock(*client);
  ReleaseFromPause(*client);
  pubsub_.UnsubscribeAll(*client);
  monitors_.Remove(*client);
  tracking_.Disable(*client);
  if (current_client_ == client) current_client_ = nullptr;
  wakeups_.Forget(*client);
  if (persistence_.replica_sync != nullptr) persistence_.replica_sync->Drop(*client);
  replication_.ForgetClient(*client, UnixMillis());
  clients_.erase(client->id);
}

}  // namespace ember::server
