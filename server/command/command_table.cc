#include "server/command/command_table.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "server/command/subcommand_tables.h"
#include "server/families/connection/client_command.h"
#include "server/families/connection/connection_commands.h"
#include "server/families/generic/keyspace_commands.h"
#include "server/families/server/persistence_commands.h"
#include "server/families/server/server_commands.h"
#include "server/families/string/string_commands.h"
#include "server/families/transactions/transaction_commands.h"

namespace ember::server {
namespace {

// Flags and key positions follow Redis 7.0's COMMAND INFO, so clients and proxies that
// route by them see the same table.
constexpr uint32_t kW = kWrite;
constexpr uint32_t kR = kReadOnly;
constexpr uint32_t kWD = kWrite | kDenyOom;
constexpr uint32_t kWDF = kWrite | kDenyOom | kFast;
constexpr uint32_t kWF = kWrite | kFast;
constexpr uint32_t kRF = kReadOnly | kFast;
constexpr KeyPositions kNoKeys{0, 0, 0};
constexpr KeyPositions kKey1{1, 1, 1};
constexpr KeyPositions kKey12{1, 2, 1};
constexpr KeyPositions kAllKeys{1, -1, 1};
constexpr KeyPositions kKeyValuePairs{1, -1, 2};

constexpr auto kRows = std::to_array<CommandSpec>({
    // Strings.
    {"set", -3, kWD, kKey1, "@write @string @slow", "string", "1.0.0",
     "Sets the value of a key, optionally with a TTL and a condition.", SetCommand},
    {"setnx", 3, kWDF, kKey1, "@write @string @fast", "string", "1.0.0",
     "Sets a key only when it does not exist.", SetNxCommand},
    {"setex", 4, kWD, kKey1, "@write @string @slow", "string", "2.0.0",
     "Sets a key with a TTL in seconds.", SetExCommand},
    {"psetex", 4, kWD, kKey1, "@write @string @slow", "string", "2.6.0",
     "Sets a key with a TTL in milliseconds.", PSetExCommand},
    {"get", 2, kRF, kKey1, "@read @string @fast", "string", "1.0.0", "Returns the value of a key.",
     GetCommand},
    {"getdel", 2, kWF, kKey1, "@write @string @fast", "string", "6.2.0",
     "Returns the value of a key and deletes it.", GetDelCommand},
    {"getex", -2, kWF, kKey1, "@write @string @fast", "string", "6.2.0",
     "Returns the value of a key and changes its TTL.", GetExCommand},
    {"getset", 3, kWDF, kKey1, "@write @string @fast", "string", "1.0.0",
     "Sets a key and returns its previous value.", GetSetCommand},
    {"mset", -3, kWD, kKeyValuePairs, "@write @string @slow", "string", "1.0.1",
     "Sets several keys at once.", MSetCommand},
    {"msetnx", -3, kWD, kKeyValuePairs, "@write @string @slow", "string", "1.0.1",
     "Sets several keys only when none of them exists.", MSetNxCommand},
    {"mget", -2, kRF, kAllKeys, "@read @string @fast", "string", "1.0.0",
     "Returns the values of several keys.", MGetCommand},
    {"append", 3, kWDF, kKey1, "@write @string @fast", "string", "2.0.0",
     "Appends bytes to a key's value.", AppendCommand},
    {"strlen", 2, kRF, kKey1, "@read @string @fast", "string", "2.2.0",
     "Returns the length of a key's value.", StrLenCommand},
    {"incr", 2, kWDF, kKey1, "@write @string @fast", "string", "1.0.0",
     "Adds one to a key's integer value.", IncrCommand},
    {"decr", 2, kWDF, kKey1, "@write @string @fast", "string", "1.0.0",
     "Subtracts one from a key's integer value.", DecrCommand},
    {"incrby", 3, kWDF, kKey1, "@write @string @fast", "string", "1.0.0",
     "Adds an integer to a key's integer value.", IncrByCommand},
    {"decrby", 3, kWDF, kKey1, "@write @string @fast", "string", "1.0.0",
     "Subtracts an integer from a key's integer value.", DecrByCommand},
    {"incrbyfloat", 3, kWDF, kKey1, "@write @string @fast", "string", "2.6.0",
     "Adds a floating-point number to a key's value.", IncrByFloatCommand},
    {"getrange", 4, kR, kKey1, "@read @string @slow", "string", "2.4.0",
     "Returns a substring of a key's value.", GetRangeCommand},
    {"substr", 4, kR, kKey1, "@read @string @slow", "string", "1.0.0",
     "Returns a substring of a key's value (old name of GETRANGE).", GetRangeCommand},
    {"setrange", 4, kWD, kKey1, "@write @string @slow", "string", "2.2.0",
     "Overwrites part of a key's value at an offset.", SetRangeCommand},

    // Generic keyspace.
    {"del", -2, kW, kAllKeys, "@keyspace @write @slow", "generic", "1.0.0", "Deletes keys.",
     DelCommand},
    {"unlink", -2, kWF, kAllKeys, "@keyspace @write @fast", "generic", "4.0.0",
     "Deletes keys, reclaiming memory lazily.", UnlinkCommand},
    {"exists", -2, kRF, kAllKeys, "@keyspace @read @fast", "generic", "1.0.0",
     "Counts how many of the given keys exist.", ExistsCommand},
    {"expire", -3, kWF, kKey1, "@keyspace @write @fast", "generic", "1.0.0",
     "Sets a key's TTL in seconds.", ExpireCommand},
    {"pexpire", -3, kWF, kKey1, "@keyspace @write @fast", "generic", "2.6.0",
     "Sets a key's TTL in milliseconds.", PExpireCommand},
    {"expireat", -3, kWF, kKey1, "@keyspace @write @fast", "generic", "1.2.0",
     "Sets a key's expiry as a unix time in seconds.", ExpireAtCommand},
    {"pexpireat", -3, kWF, kKey1, "@keyspace @write @fast", "generic", "2.6.0",
     "Sets a key's expiry as a unix time in milliseconds.", PExpireAtCommand},
    {"expiretime", 2, kRF, kKey1, "@keyspace @read @fast", "generic", "7.0.0",
     "Returns a key's expiry as a unix time in seconds.", ExpireTimeCommand},
    {"pexpiretime", 2, kRF, kKey1, "@keyspace @read @fast", "generic", "7.0.0",
     "Returns a key's expiry as a unix time in milliseconds.", PExpireTimeCommand},
    {"ttl", 2, kRF, kKey1, "@keyspace @read @fast", "generic", "1.0.0",
     "Returns a key's remaining TTL in seconds.", TtlCommand},
    {"pttl", 2, kRF, kKey1, "@keyspace @read @fast", "generic", "2.6.0",
     "Returns a key's remaining TTL in milliseconds.", PTtlCommand},
    {"persist", 2, kWF, kKey1, "@keyspace @write @fast", "generic", "2.2.0", "Removes a key's TTL.",
     PersistCommand},
    {"type", 2, kRF, kKey1, "@keyspace @read @fast", "generic", "1.0.0",
     "Returns the type of a key's value.", TypeCommand},
    {"keys", 2, kR, kNoKeys, "@keyspace @read @slow @dangerous", "generic", "1.0.0",
     "Returns the keys matching a glob pattern.", KeysCommand},
    {"scan", -2, kR, kNoKeys, "@keyspace @read @slow", "generic", "2.8.0",
     "Iterates over the keys of the selected database.", ScanCommand},
    {"randomkey", 1, kR, kNoKeys, "@keyspace @read @slow", "generic", "1.0.0",
     "Returns a random key name.", RandomKeyCommand},
    {"rename", 3, kW, kKey12, "@keyspace @write @slow", "generic", "1.0.0",
     "Renames a key, replacing the destination.", RenameCommand},
    {"renamenx", 3, kWF, kKey12, "@keyspace @write @fast", "generic", "1.0.0",
     "Renames a key only when the destination does not exist.", RenameNxCommand},
    {"touch", -2, kRF, kAllKeys, "@keyspace @read @fast", "generic", "3.2.1",
     "Counts existing keys and marks them as accessed.", TouchCommand},
    {"copy", -3, kWD, kKey12, "@keyspace @write @slow", "generic", "6.2.0",
     "Copies a key's value to another key.", CopyCommand},
    {"move", 3, kWF, kKey1, "@keyspace @write @fast", "generic", "1.0.0",
     "Moves a key to another database.", MoveCommand},
    {"swapdb", 3, kWF, kNoKeys, "@keyspace @write @fast @dangerous", "server", "4.0.0",
     "Swaps the contents of two databases.", SwapDbCommand},
    {"dbsize", 1, kRF, kNoKeys, "@keyspace @read @fast", "server", "1.0.0",
     "Returns the number of keys in the selected database.", DbSizeCommand},
    {"flushdb", -1, kW, kNoKeys, "@keyspace @write @slow @dangerous", "server", "1.0.0",
     "Removes every key of the selected database.", FlushDbCommand},
    {"flushall", -1, kW, kNoKeys, "@keyspace @write @slow @dangerous", "server", "1.0.0",
     "Removes every key of every database.", FlushAllCommand},

    // Connection and server.
    {"ping", -1, kFast, kNoKeys, "@fast @connection", "connection", "1.0.0",
     "Checks that the server answers.", PingCommand},
    {"echo", 2, kLoading | kStale | kFast, kNoKeys, "@fast @connection", "connection", "1.0.0",
     "Returns its argument.", EchoCommand},
    {"quit", -1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, kNoKeys,
     "@fast @connection", "connection", "1.0.0", "Closes the connection.", QuitCommand},
    {"select", 2, kLoading | kStale | kFast, kNoKeys, "@fast @connection", "connection", "1.0.0",
     "Selects the database of the connection.", SelectCommand},
    {"time", 1, kLoading | kStale | kFast, kNoKeys, "@fast", "server", "2.6.0",
     "Returns the server's time.", TimeCommand},
    {"info", -1, kLoading | kStale, kNoKeys, "@slow @dangerous", "server", "1.0.0",
     "Returns information and statistics about the server.", InfoCommand},
    {"shutdown", -1, kAdmin | kNoScript | kLoading | kStale | kNoMulti | kAllowBusy, kNoKeys,
     "@admin @slow @dangerous", "server", "1.0.0", "Stops the server.", ShutdownCommand},
    {"save", 1, kAdmin | kNoScript | kNoMulti, kNoKeys, "@admin @slow @dangerous", "server",
     "1.0.0", "Saves the dataset to disk, blocking.", SaveCommand},
    {"bgsave", -1, kAdmin | kNoScript, kNoKeys, "@admin @slow @dangerous", "server", "1.0.0",
     "Saves the dataset to disk from a background child process.", BgsaveCommand},
    {"bgrewriteaof", 1, kAdmin | kNoScript | kNoAsyncLoading, kNoKeys, "@admin @slow @dangerous",
     "server", "1.0.0", "Rewrites the append-only file from the dataset in a background child.",
     BgrewriteaofCommand},
    {"lastsave", 1, kLoading | kStale | kFast, kNoKeys, "@admin @fast @dangerous", "server",
     "1.0.0", "Returns the unix time of the last successful save.", LastsaveCommand},
    {"command", -1, kLoading | kStale, kNoKeys, "@slow @connection", "server", "2.8.13",
     "Describes the server's commands.", CommandCommand, kCommandSubcommands},
    {"config", -2, 0, kNoKeys, "@slow", "server", "2.0.0", "Reads and changes server settings.",
     nullptr, kConfigSubcommands},
    {"object", -2, 0, kNoKeys, "@slow", "generic", "2.2.3", "Inspects how a key's value is stored.",
     nullptr, kObjectSubcommands},
    {"memory", -2, 0, kNoKeys, "@slow", "server", "4.0.0", "Reports on memory use.", nullptr,
     kMemorySubcommands},
    {"slowlog", -2, 0, kNoKeys, "@slow", "server", "2.2.12", "Reads or clears the slow log.",
     nullptr, kSlowlogSubcommands},
    {"latency", -2, 0, kNoKeys, "@slow", "server", "2.8.13", "Reads the latency monitor.", nullptr,
     kLatencySubcommands},
    {"function", -2, 0, kNoKeys, "@slow", "scripting", "7.0.0", "Manages function libraries.",
     nullptr, kFunctionSubcommands},
    {"script", -2, 0, kNoKeys, "@slow", "scripting", "2.6.0", "Manages the script cache.", nullptr,
     kScriptSubcommands},

    // Connection handshake and per-connection state.
    {"hello", -1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, kNoKeys,
     "@fast @connection", "connection", "6.0.0",
     "Negotiates the protocol version, and optionally authenticates and names the connection.",
     HelloCommand},
    {"auth", -2, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, kNoKeys,
     "@fast @connection", "connection", "1.0.0", "Authenticates the connection.", AuthCommand},
    {"reset", 1, kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy, kNoKeys,
     "@fast @connection", "connection", "6.2.0", "Returns the connection to its initial state.",
     ResetCommand},
    {"client", -2, 0, kNoKeys, "@slow", "connection", "2.4.0",
     "Inspects and controls client connections.", nullptr, kClientSubcommands},

    // Transactions.
    {"multi", 1, kNoScript | kLoading | kStale | kFast | kAllowBusy, kNoKeys, "@fast @transaction",
     "transactions", "1.2.0", "Starts a transaction.", MultiCommand},
    {"exec", 1, kNoScript | kLoading | kStale | kSkipSlowlog, kNoKeys, "@slow @transaction",
     "transactions", "1.2.0", "Runs the commands queued since MULTI.", ExecCommand},
    {"discard", 1, kNoScript | kLoading | kStale | kFast | kAllowBusy, kNoKeys,
     "@fast @transaction", "transactions", "2.0.0", "Drops the commands queued since MULTI.",
     DiscardCommand},
    {"watch", -2, kNoScript | kLoading | kStale | kFast | kAllowBusy, kAllKeys,
     "@fast @transaction", "transactions", "2.2.0",
     "Makes the next EXEC fail if any of the keys changes.", WatchCommand},
    {"unwatch", 1, kNoScript | kLoading | kStale | kFast | kAllowBusy, kNoKeys,
     "@fast @transaction", "transactions", "2.2.0", "Forgets every watched key.", UnwatchCommand},
});

// Lowercases `name` into `buffer` when it fits; names longer than any command never match.
std::string_view LowerInto(std::string_view name, std::array<char, 32>& buffer) {
  if (name.size() > buffer.size()) return {};
  for (size_t i = 0; i < name.size(); ++i) {
    buffer[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  }
  return {buffer.data(), name.size()};
}

}  // namespace

CommandTable::CommandTable(std::span<const CommandSpec> rows) : rows_(rows) {
  for (const CommandSpec& row : rows_) {
    by_name_.emplace(row.name, &row);
    index_.emplace(&row, index_.size());
    for (const CommandSpec& sub : row.subcommands) index_.emplace(&sub, index_.size());
  }
}

const CommandSpec* CommandTable::FindSubcommand(const CommandSpec& container,
                                                std::string_view name) {
  for (const CommandSpec& sub : container.subcommands) {
    std::string_view short_name = sub.name.substr(sub.name.find('|') + 1);
    if (short_name.size() != name.size()) continue;
    bool equal = true;
    for (size_t i = 0; i < name.size() && equal; ++i) {
      equal = std::tolower(static_cast<unsigned char>(name[i])) == short_name[i];
    }
    if (equal) return &sub;
  }
  return nullptr;
}

const CommandSpec* CommandTable::FindByFullName(std::string_view name) const {
  const size_t bar = name.find('|');
  const CommandSpec* row = Find(name.substr(0, bar));
  if (row == nullptr || bar == std::string_view::npos) return row;
  if (name.find('|', bar + 1) != std::string_view::npos) return nullptr;
  return FindSubcommand(*row, name.substr(bar + 1));
}

size_t CommandTable::IndexOf(const CommandSpec& spec) const {
  auto it = index_.find(&spec);
  return it == index_.end() ? index_.size() : it->second;
}

const CommandTable& CommandTable::Default() {
  static const CommandTable table(kRows);
  return table;
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  std::array<char, 32> buffer;
  std::string_view lower = LowerInto(name, buffer);
  if (lower.empty()) return nullptr;
  auto it = by_name_.find(lower);
  return it == by_name_.end() ? nullptr : it->second;
}

}  // namespace ember::server
