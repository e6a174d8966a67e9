// CommandRunner: runs argument vectors for one HTTP request through the same Dispatcher
// as RESP clients (same table, gates, write path and stats) and hands back each reply
// decoded. All commands of one request share one clock (`now_ms`), so GET followed by TTL
// sees one consistent time.
//
// Lifetime: per request; borrows the dispatcher and the connection's ClientState.
// Threading: engine thread only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "protocol/reply_reader.h"
#include "server/command/dispatcher.h"
#include "server/core/client_state.h"

namespace ember::server::http {

class CommandRunner {
 public:
  CommandRunner(Dispatcher& dispatcher, ClientState& client, int64_t now_ms)
      : dispatcher_(dispatcher), client_(client), now_ms_(now_ms) {}

  // Replies are rendered in RESP3, so a null and an empty string stay distinct.
  protocol::ReplyValue Run(std::span<const std::string_view> args);
  protocol::ReplyValue Run(std::initializer_list<std::string_view> args) {
    return Run(std::span<const std::string_view>(args.begin(), args.size()));
  }

  Dispatcher& dispatcher() { return dispatcher_; }

 private:
  Dispatcher& dispatcher_;
  ClientState& client_;
  int64_t now_ms_;
  std::string output_;
};

}  // namespace ember::server::http
