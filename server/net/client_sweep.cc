#include "server/net/client_sweep.h"

#include <string>
#include <vector>

#include "server/core/logger.h"
#include "server/families/connection/client_command.h"
#include "server/net/output_buffer_limit.h"

namespace ember::server {

void LogOutputLimitClose(const ClientState& client, int64_t now_ms) {
  std::string info = ClientInfoLine(client, now_ms);
  if (!info.empty() && info.back() == '\n') info.pop_back();
  Log(LogLevel::kWarning,
      "Client {} scheduled to be closed ASAP for overcoming of output buffer limits.", info);
}

int SweepClients(ServerState& state, int64_t now_ms) {
  const ServerConfig& config = state.config();
  const int64_t idle_limit_ms = config.timeout * 1000;
  // Closing does not unregister at once, but collect first so the map is never walked while
  // anything could change it.
  std::vector<ClientState*> idle;
  std::vector<ClientState*> over_soft;
  for (const auto& [id, client] : state.clients()) {
    if (!client->kill) continue;
    // Subscribers and monitors are expected to sit idle for long: the timeout spares them,
    // as in Redis.
    if (idle_limit_ms > 0 && !client->blocked && !client->blocked_on_keys && !client->pubsub_mode &&
        !client->is_replica && !client->monitor &&
        now_ms - client->last_interaction_ms > idle_limit_ms) {
      idle.push_back(client);
      continue;
    }
    if (client->output_pending > 0 &&
        CheckOutputLimit(LimitForClass(config.client_output_buffer_limits, client->pubsub_mode,
                                       client->is_replica),
                         client->output_pending, now_ms,
                         &client->output_soft_since_ms) != OutputLimitVerdict::kWithin) {
      over_soft.push_back(client);
    }
  }
  for (ClientState* client : idle) {
    Log(LogLevel::kVerbose, "Closing idle client");
    client->kill();
  }
  for (ClientState* client : over_soft) {
    LogOutputLimitClose(*client, now_ms);
    client->kill();
  }
  return static_cast<int>(idle.size() + over_soft.size());
}

}  // namespace ember::server
