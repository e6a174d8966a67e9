// What every accepted connection (RESP or HTTP) goes through before it becomes a client:
// protected mode and TCP keepalive, with Redis 7.0's rules.
//
// Protected mode: while `protected-mode` is yes and no `requirepass` is set, only peers at
// exactly 127.0.0.1 or ::1 are served (Redis compares the peer's address text, so other
// 127/8 addresses count as remote); anyone else gets the DENIED error and is disconnected.
// Pure functions plus one socket option call; engine thread only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string_view>

#include "server/config/server_config.h"

namespace ember::server {

// Redis's DENIED text, without the leading '-' and the CRLF: the RESP reply and the HTTP
// adapter's JSON error carry the same words, as clients parse them.
extern const std::string_view kProtectedModeError;

// True when protected mode refuses a connection from `peer` under `config`.
bool ProtectedModeRefuses(const ServerConfig& config, const boost::asio::ip::tcp::endpoint& peer);

// Redis's anetKeepAlive: SO_KEEPALIVE with the first probe after `seconds` of silence,
// then a probe every seconds/3 (at least 1), giving up after 3. 0 leaves keepalive off.
void ApplyTcpKeepAlive(boost::asio::ip::tcp::socket& socket, int64_t seconds);

}  // namespace ember::server
