// AofReplayer: runs the commands read from an append-only file against the keyspace through
// the command table, as a client without replies would (Redis's fake AOF client). MULTI ...
// EXEC blocks are held and applied whole at EXEC, so a file that ends inside a transaction
// applies none of it.
//
// The caller suspends expiry (Keyspace::set_expiry_suspended) while replaying: each logged
// command ran while its keys were alive.
//
// Threading: engine thread only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "protocol/reply_writer.h"
#include "server/command/dispatcher.h"
#include "server/core/client_state.h"

namespace ember::server {

class AofReplayer {
 public:
  explicit AofReplayer(ServerState& state);

  // Applies one command read at `offset`. Returns "" or a fatal problem (an unknown command,
  // a wrong argument count, nested MULTI, EXEC without MULTI): the file cannot be trusted.
  std::string Apply(const std::vector<std::string>& argv, uint64_t offset, int64_t now_ms);

  // Memory-latency hints for the keys (first arguments) of commands about to be applied, in
  // the database selected now (Database::PrefetchKeys). Changes nothing.
  void PrefetchKeys(std::span<const std::vector<std::string>> commands);

  // Whether a MULTI is open, and the offset where it started (the file's valid length when
  // the file ends before its EXEC).
  bool in_multi() const { return in_multi_; }
  uint64_t multi_start() const { return multi_start_; }
  // Forgets an open MULTI (at the end of a file) and the selected database (each file of a
  // set starts with its own SELECT).
  void EndFile();

  uint64_t commands_applied() const { return commands_applied_; }

 private:
  std::string Run(const std::vector<std::string>& argv, int64_t now_ms);

  Dispatcher dispatcher_;
  ClientState client_;
  std::string output_;
  protocol::ReplyWriter writer_{&output_};
  bool in_multi_ = false;
  uint64_t multi_start_ = 0;
  std::vector<std::vector<std::string>> queued_;
  uint64_t commands_applied_ = 0;
};

}  // namespace ember::server
