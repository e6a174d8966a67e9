// CommandContext: what a handler sees of the world while it runs one command — its
// arguments, the reply writer, the client's selected database, the batch's clock, and the
// server state. Handlers parse options, call storage operations, and reply; they never do
// I/O or touch other connections directly.
//
// Lifetime: built by the dispatcher on the stack for one command. `args` views stay valid
// for the duration of the handler only.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/reply_writer.h"
#include "server/command/command_spec.h"
#include "storage/keyspace/database.h"
#include "storage/keyspace/keyspace.h"
#include "storage/op_status.h"

namespace ember::server {

struct ClientState;
class Dispatcher;
class ServerState;

class CommandContext {
 public:
  CommandContext(std::span<const std::string_view> args, const CommandSpec& spec,
                 protocol::ReplyWriter& reply, ClientState& client, ServerState& server,
                 int64_t now_ms);

  // args[0] is the command name as the client sent it.
  std::span<const std::string_view> args;
  const CommandSpec& spec;
  protocol::ReplyWriter& reply;
  ClientState& client;
  ServerState& server;
  const int64_t now_ms;  // the batch's cached clock (unix ms)
  // The dispatcher running the command, for commands that run others (EXEC); may be null
  // in tests that build a context by hand.
  Dispatcher* dispatcher = nullptr;

  storage::Keyspace& keyspace();
  // The client's selected database.
  storage::Database& db();
  int db_index() const;

  // Records that the command changed the keyspace `changes` times. When the command ends
  // with changes recorded, the dispatcher propagates it through the one write path: as
  // sent, or as the vector given to PropagateAs (e.g. SET ... EX rewritten to PXAT).
  void MarkDirty(uint64_t changes = 1) { dirty_ += changes; }
  uint64_t dirty() const { return dirty_; }
  // Propagates the command even when it changed nothing (Redis does this for FLUSHDB and
  // FLUSHALL, so a replica or an AOF replay sees the flush).
  void ForcePropagate() { force_propagate_ = true; }
  bool must_propagate() const { return dirty_ > 0 || force_propagate_ || !effects_.empty(); }
  void PropagateAs(std::vector<std::string> argv) { propagate_as_ = std::move(argv); }
  const std::vector<std::string>& propagate_as() const { return propagate_as_; }
  // Propagates these commands instead of the command itself (Redis's alsoPropagate with
  // preventCommandPropagation: XREADGROUP as the XCLAIMs of what it delivered). Two or more
  // go out in one MULTI ... EXEC block, as Redis 7.0 wraps a command's several effects;
  // none leaves the command unpropagated even when it recorded changes.
  void PropagateEffect(std::vector<std::string> argv) { effects_.push_back(std::move(argv)); }
  void PropagateNothing() { propagate_nothing_ = true; }
  const std::vector<std::vector<std::string>>& effects() const { return effects_; }
  bool propagates_effects() const { return propagate_nothing_ || !effects_.empty(); }

  // Raises keyspace event `event` of class `event_class` (NotifyClass, keyspace_events.h)
  // for `key` of the client's database (or of `db`), where Redis raises it: after the
  // change, once per key and event. The keyspace raises "new", "del" of an emptied
  // collection, "expired", "evicted" and "keymiss" itself (keyspace_notifier.h).
  void Notify(uint32_t event_class, std::string_view event, std::string_view key);
  void NotifyIn(int db, uint32_t event_class, std::string_view event, std::string_view key);

  // Replies with Redis's error text for `status` (see error_replies.h).
  void ReplyError(storage::OpStatus status);

 private:
  uint64_t dirty_ = 0;
  bool force_propagate_ = false;
  std::vector<std::string> propagate_as_;
  std::vector<std::vector<std::string>> effects_;
  bool propagate_nothing_ = false;
};

}  // namespace ember::server
