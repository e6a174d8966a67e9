// Opening listening sockets the way Redis does for its `bind` list: each address gets its own
// acceptor (IPv6 ones v6-only, so 127.0.0.1 and ::1 can share a port); a leading '-' marks
// an address as optional; an address family the host lacks is skipped with a warning;
// anything else (in use, invalid) is an error. Used by the RESP and HTTP listeners.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ember::server {

// Shared: an accept loop keeps its acceptor alive until it notices the acceptor was closed,
// also after a rebind replaced it (ConnectionAcceptor::Rebind).
using Acceptors = std::vector<std::shared_ptr<boost::asio::ip::tcp::acceptor>>;

// "ip:port", with IPv6 addresses in brackets, as CLIENT LIST and the logs show peers.
std::string EndpointText(const boost::asio::ip::tcp::endpoint& endpoint);

// Binds `port` on every address of `addresses`, appending to `acceptors`. `what` names the
// listener in messages ("server TCP", "HTTP"). Returns false with `error` set when an
// address fails or none could be bound.
bool ListenOnAll(boost::asio::io_context& io, const std::vector<std::string>& addresses, int port,
                 int backlog, std::string_view what, Acceptors* acceptors, std::string* error);

}  // namespace ember::server
