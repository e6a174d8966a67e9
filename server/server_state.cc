#include "server/server_state.h"

#include <algorithm>
#include <array>

namespace ember::server {

ServerState::ServerState(ServerConfig config)
    : config_(std::move(config)), keyspace_(config_.databases) {
  keyspace_.set_observer(this);
  storage::ActiveExpireConfig expire_config;
  expire_config.hz = config_.hz;
  // Redis's active-expire-effort (1..10) raises the keys sampled per loop by 25% a step.
  expire_config.keys_per_loop = 20 + 20 / 4 * (config_.active_expire_effort - 1);
  active_expirer_.set_config(expire_config);
}

void ServerState::Propagate(int db, std::span<const std::string_view> argv, uint64_t changes) {
  dirty_ += changes;
  ++propagated_commands_;
  if (propagation_block_open_) {
    held_commands_.push_back({db, std::vector<std::string>(argv.begin(), argv.end())});
    return;
  }
  Emit(db, argv);
}

void ServerState::EndPropagationBlock() {
  propagation_block_open_ = false;
  std::vector<HeldCommand> held = std::move(held_commands_);
  held_commands_.clear();
  const bool bracket = held.size() > 1;
  if (bracket) {
    const std::array<std::string_view, 1> multi = {"MULTI"};
    Emit(held.front().db, multi);
  }
  std::vector<std::string_view> views;
  for (const HeldCommand& command : held) {
    views.assign(command.argv.begin(), command.argv.end());
    Emit(command.db, views);
  }
  if (bracket) {
    const std::array<std::string_view, 1> exec = {"EXEC"};
    Emit(held.back().db, exec);
  }
}

void ServerState::Emit(int db, std::span<const std::string_view> argv) {
  if (aof_.on) aof_.log.Append(db, argv);
  if (propagation_listener_) propagation_listener_(db, argv);
}

// Expiry and eviction deletions go out at once, even inside EXEC, as in Redis 7.0.
void ServerState::OnKeyRemoved(int db, std::string_view key, storage::RemovalCause /*cause*/) {
  std::array<std::string_view, 2> argv = {"DEL", key};
  ++propagated_commands_;
  Emit(db, argv);
}

void ServerState::PauseClients(int64_t now_ms, int64_t end_ms, bool writes_only) {
  const bool active = clients_paused(now_ms);
  pause_writes_only_ = active ? pause_writes_only_ && writes_only : writes_only;
  pause_end_ms_ = active ? std::max(pause_end_ms_, end_ms) : end_ms;
}

void ServerState::RegisterClient(ClientState* client) { clients_[client->id] = client; }

void ServerState::UnregisterClient(ClientState* client) {
  watches_.UnwatchAll(*client);
  clients_.erase(client->id);
}

}  // namespace ember::server
