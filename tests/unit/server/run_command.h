// In-process command execution for server unit tests: runs one command through the
// dispatcher, as a connection would, and returns its raw RESP reply.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/reply_writer.h"
#include "server/command/dispatcher.h"
#include "server/core/client_state.h"

namespace ember::server {

inline std::string RunCommand(Dispatcher& dispatcher, ClientState& client,
                              const std::vector<std::string>& args, int64_t now_ms) {
  std::vector<std::string_view> views(args.begin(), args.end());
  std::string out;
  protocol::ReplyWriter writer(&out, client.protocol_version);
  dispatcher.Execute(views, client, writer, now_ms);
  return out;
}

}  // namespace ember::server
