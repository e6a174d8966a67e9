// ClientState: the per-connection facts that commands read and change (selected database,
// protocol version, name, flags). The connection (Session) owns it; handlers get it through
// CommandContext. Engine thread only.
#pragma once

#include <cstdint>
#include <string>

namespace ember::server {

struct ClientState {
  uint64_t id = 0;
  int db_index = 0;
  int protocol_version = 2;
  std::string name;
  std::string address;        // peer "ip:port"
  std::string local_address;  // our "ip:port"
  int64_t created_ms = 0;
  int64_t last_interaction_ms = 0;
  uint64_t commands_processed = 0;
  bool authenticated = true;
  // Set by a handler (QUIT) or by the dispatcher (protocol error): the connection writes
  // what is buffered and then closes.
  bool close_after_reply = false;
};

}  // namespace ember::server
