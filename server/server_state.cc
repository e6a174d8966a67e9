#include "server/server_state.h"

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

void ServerState::Propagate(int /*db*/, std::span<const std::string_view> /*argv*/,
                            uint64_t changes) {
  dirty_ += changes;
  ++propagated_commands_;
}

void ServerState::OnKeyRemoved(int db, std::string_view key, storage::RemovalCause /*cause*/) {
  std::array<std::string_view, 2> argv = {"DEL", key};
  Propagate(db, argv, 0);
}

void ServerState::RegisterClient(ClientState* client) { clients_[client->id] = client; }

void ServerState::UnregisterClient(ClientState* client) { clients_.erase(client->id); }

}  // namespace ember::server
