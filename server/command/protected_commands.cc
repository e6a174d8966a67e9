#include "server/command/protected_commands.h"

#include <string>

namespace ember::server {
namespace {

// Whether the peer address ("ip:port", "[ip6]:port") is the loopback Redis accepts as
// local; a client with no peer (an internal one) is not local.
bool IsLocal(std::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string_view ip = address.substr(0, colon);
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  return ip == "127.0.0.1" || ip == "::1";
}

}  // namespace

bool ProtectedCommandAllowed(const ServerConfig& config, const ClientState& client) {
  if (config.enable_debug_command == "yes") return true;
  return config.enable_debug_command == "local" && IsLocal(client.address);
}

}  // namespace ember::server
