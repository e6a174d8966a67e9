#include "server/net/connection_policy.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>

namespace ember::server {

const std::string_view kProtectedModeError =
    "DENIED Redis is running in protected mode because protected mode is enabled and no "
    "password is set for the default user. In this mode connections are only accepted from "
    "the loopback interface. If you want to connect from external computers to Redis you may "
    "adopt one of the following solutions: 1) Just disable protected mode sending the command "
    "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the "
    "same host the server is running, however MAKE SURE Redis is not publicly accessible from "
    "internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively "
    "you can just disable the protected mode by editing the Redis configuration file, and "
    "setting the protected mode option to 'no', and then restarting the server. 3) If you "
    "started the server manually just for testing, restart it with the '--protected-mode no' "
    "option. 4) Setup a an authentication password for the default user. NOTE: You only need "
    "to do one of the above things in order for the server to start accepting connections from "
    "the outside.";

bool ProtectedModeRefuses(const ServerConfig& config, const boost::asio::ip::tcp::endpoint& peer) {
  if (!config.protected_mode || !config.requirepass.empty()) return false;
  const boost::asio::ip::address address = peer.address();
  if (address.is_v4()) return address.to_v4() != boost::asio::ip::address_v4::loopback();
  return address.to_v6() != boost::asio::ip::address_v6::loopback();
}

void ApplyTcpKeepAlive(boost::asio::ip::tcp::socket& socket, int64_t seconds) {
  if (seconds <= 0) return;
  const int fd = socket.native_handle();
  const int on = 1;
  const int idle = static_cast<int>(std::min<int64_t>(seconds, 32767));
  const int interval = std::max(1, idle / 3);
  const int probes = 3;
  // Failures are ignored as Redis does for an accepted client: the connection still works.
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof(probes));
}

}  // namespace ember::server
