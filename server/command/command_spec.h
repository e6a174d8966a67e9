// CommandSpec: one row of the command table. Every command is declared once, as data, by
// its family (server/command/command_family.h): the dispatcher, COMMAND / COMMAND INFO,
// MULTI queuing, AOF replay and the HTTP adapter all read these rows, so a command's
// behaviour around its handler is decided here. The family supplies what all its rows
// share (Redis's group, the family's ACL category); the table joins them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ember::server {

class CommandContext;
class ServerState;
using CommandHandler = void (*)(CommandContext& ctx);
// Redis's get_command_flags: the flags the dispatcher's gates (maxmemory, disk errors,
// CLIENT PAUSE, MULTI) apply to one call of a command whose flags depend on its arguments,
// as a script's declared flags decide whether EVAL may write. `declared`: the row's flags.
using CommandFlagsResolver = uint32_t (*)(std::span<const std::string_view> args,
                                          const ServerState& server, uint32_t declared);

// Redis's command flags (the subset Ember uses); COMMAND INFO prints their names.
enum CommandFlag : uint32_t {
  kWrite = 1u << 0,     // may modify the keyspace; propagated when it does
  kReadOnly = 1u << 1,  // reads the keyspace only
  kDenyOom = 1u << 2,   // may grow memory; refused over maxmemory
  kAdmin = 1u << 3,     // administrative (SHUTDOWN, CONFIG...)
  kPubSub = 1u << 4,
  kNoScript = 1u << 5,  // not allowed in scripts
  kLoading = 1u << 6,   // allowed while the dataset loads
  kStale = 1u << 7,     // allowed on a stale replica
  kFast = 1u << 8,      // O(1) or O(log N)
  kNoAuth = 1u << 9,    // allowed before AUTH
  kAllowBusy = 1u << 10,
  kNoMulti = 1u << 11,  // cannot be queued inside MULTI
  kSkipSlowlog = 1u << 12,
  kSkipMonitor = 1u << 13,
  kMayReplicate = 1u << 14,
  kBlocking = 1u << 15,
  kNoAsyncLoading = 1u << 16,   // refused while a replica loads asynchronously
  kNoMandatoryKeys = 1u << 17,  // its key arguments may be empty (EVAL with numkeys 0)
  // Runs only as enable-debug-command allows (Redis's "protected", which COMMAND hides).
  kProtected = 1u << 18,
};

// Legacy key positions as COMMAND reports them: first key, last key (negative counts from
// the end: -1 is the last argument), step. {0, 0, 0} means no keys.
struct KeyPositions {
  int first = 0;
  int last = 0;
  int step = 0;
};

// The key positions most rows use; a row with no keys leaves `keys` out.
inline constexpr KeyPositions kKey1{1, 1, 1};            // GET key
inline constexpr KeyPositions kKey2{2, 2, 1};            // OBJECT ENCODING key
inline constexpr KeyPositions kKey12{1, 2, 1};           // RENAME key newkey
inline constexpr KeyPositions kAllKeys{1, -1, 1};        // DEL key [key ...]
inline constexpr KeyPositions kKeysButLast{1, -2, 1};    // BLPOP key [key ...] timeout
inline constexpr KeyPositions kKeyValuePairs{1, -1, 2};  // MSET key value [key value ...]

struct CommandSpec {
  std::string_view name = {};  // lowercase, as COMMAND reports it
  int arity = 0;           // Redis's rule: N means exactly N args (name included), -N at least N
  uint32_t flags = 0;      // CommandFlag bits
  KeyPositions keys = {};  // {0, 0, 0}: no keys
  std::string_view since = {};  // Redis version that introduced it
  std::string_view summary = {};
  CommandHandler handler = nullptr;  // null for a pure container (CONFIG, CLIENT...)
  // Container commands (CONFIG, OBJECT...): their subcommands, named "config|get". The
  // dispatcher looks args[1] up here and runs the subcommand's row (arity, handler, stats).
  std::span<const CommandSpec> subcommands = {};
  // ACL categories (AclCategory bits, server/command/acl_categories.h) beyond those the
  // family and the flags imply: Redis's explicit ones, such as @dangerous for KEYS.
  uint32_t acl = 0;
  // Null for the usual command, whose flags are the row's.
  CommandFlagsResolver flags_for_call = nullptr;

  bool has_flag(CommandFlag flag) const { return (flags & flag) != 0; }
  // The flags that hold for the call `args` (the row's, or what flags_for_call decides).
  uint32_t FlagsForCall(std::span<const std::string_view> args, const ServerState& server) const {
    return flags_for_call == nullptr ? flags : flags_for_call(args, server, flags);
  }
  // Whether `argc` arguments (name included) satisfy the arity.
  bool ArityAccepts(int argc) const { return arity >= 0 ? argc == arity : argc >= -arity; }
};

}  // namespace ember::server
