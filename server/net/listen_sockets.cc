#include "server/net/listen_sockets.h"

#include <fmt/format.h>

#include <boost/asio/ip/v6_only.hpp>

#include "server/core/logger.h"

namespace ember::server {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string EndpointText(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  return address.is_v6() ? fmt::format("[{}]:{}", address.to_string(), endpoint.port())
                         : fmt::format("{}:{}", address.to_string(), endpoint.port());
}

bool ListenOnAll(asio::io_context& io, const std::vector<std::string>& addresses, int port,
                 int backlog, std::string_view what, Acceptors* acceptors, std::string* error) {
  for (const std::string& address_text : addresses) {
    boost::system::error_code ec;
    std::string text = address_text;
    if (!text.empty() && text[0] == '-') text.erase(0, 1);  // Redis's "optional" marker
    auto address = asio::ip::make_address(text, ec);
    if (ec) {
      *error = fmt::format("Invalid {} bind address '{}'", what, address_text);
      return false;
    }
    auto acceptor = std::make_shared<tcp::acceptor>(io);
    tcp::endpoint endpoint(address, static_cast<uint16_t>(port));
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && address.is_v6()) acceptor->set_option(asio::ip::v6_only(true), ec);
    if (!ec) acceptor->bind(endpoint, ec);
    if (!ec) acceptor->listen(backlog, ec);
    if (ec) {
      if (ec == asio::error::address_family_not_supported ||
          ec == boost::system::errc::address_not_available) {
        Log(LogLevel::kWarning, "Skipping {} bind address {}: {}", what, address_text,
            ec.message());
        continue;
      }
      *error = fmt::format("Could not create {} listening socket {}:{}: {}", what, text, port,
                           ec.message());
      return false;
    }
    acceptors->push_back(std::move(acceptor));
  }
  if (acceptors->empty()) {
    *error = fmt::format("Failed listening ({}) on any of the configured addresses", what);
    return false;
  }
  return true;
}

}  // namespace ember::server
