#include "server/command/subcommand_tables.h"

#include "server/families/connection/client_command.h"
#include "server/families/server/introspection_commands.h"

namespace ember::server {
namespace {

// Flags, arity and key positions follow Redis 7.0's COMMAND INFO for each subcommand.
constexpr uint32_t kLS = kLoading | kStale;
constexpr uint32_t kAdminLS = kAdmin | kNoScript | kLoading | kStale;
constexpr KeyPositions kNoKeys{0, 0, 0};
constexpr KeyPositions kKey2{2, 2, 1};
constexpr std::string_view kAdminCats = "@admin @slow @dangerous";
constexpr uint32_t kConn = kNoScript | kLoading | kStale;
constexpr uint32_t kConnAdmin = kAdmin | kNoScript | kLoading | kStale;
constexpr std::string_view kCategories = "@slow @connection";
constexpr std::string_view kAdminCategories = "@admin @slow @dangerous @connection";

}  // namespace

// clang-format off
// Redis 7.0's rows (arity, flags, since); SETINFO and NO-TOUCH are Redis 7.2's, accepted
// because current client libraries send SETINFO on connect.
const std::array<CommandSpec, 17> kClientSubcommands = {{
    {"client|id", 2, kConn, kNoKeys, kCategories, "connection", "5.0.0",
     "Returns the unique client ID of the connection.", ClientIdCommand},
    {"client|getname", 2, kConn, kNoKeys, kCategories, "connection", "2.6.9",
     "Returns the name of the connection.", ClientGetNameCommand},
    {"client|setname", 3, kConn, kNoKeys, kCategories, "connection", "2.6.9",
     "Sets the name of the connection.", ClientSetNameCommand},
    {"client|setinfo", 4, kConn, kNoKeys, kCategories, "connection", "7.2.0",
     "Records the client library's name or version for the connection.", ClientSetInfoCommand},
    {"client|info", 2, kConn, kNoKeys, kCategories, "connection", "6.2.0",
     "Returns information about the connection.", ClientInfoCommand},
    {"client|list", -2, kConnAdmin, kNoKeys, kAdminCategories, "connection", "2.4.0",
     "Lists the open connections.", ClientListCommand},
    {"client|kill", -3, kConnAdmin, kNoKeys, kAdminCategories, "connection", "2.4.0",
     "Closes connections.", ClientKillCommand},
    {"client|reply", 3, kConn, kNoKeys, kCategories, "connection", "3.2.0",
     "Turns the connection's replies on, off, or off for the next command.", ClientReplyCommand},
    {"client|no-evict", 3, kConnAdmin, kNoKeys, kAdminCategories, "connection", "7.0.0",
     "Protects the connection from client eviction.", ClientNoEvictCommand},
    {"client|no-touch", 3, kConn, kNoKeys, kCategories, "connection", "7.2.0",
     "Keeps the connection's commands from changing keys' access times.", ClientNoTouchCommand},
    {"client|pause", -3, kConnAdmin, kNoKeys, kAdminCategories, "connection", "3.0.0",
     "Holds the commands of every client, or their writes, for a while.", ClientPauseCommand},
    {"client|unpause", 2, kConnAdmin, kNoKeys, kAdminCategories, "connection", "6.2.0",
     "Ends a client pause.", ClientUnpauseCommand},
    {"client|getredir", 2, kConn, kNoKeys, kCategories, "connection", "6.0.0",
     "Returns the client-side caching redirection (always -1: no tracking).",
     ClientGetRedirCommand},
    {"client|trackinginfo", 2, kConn, kNoKeys, kCategories, "connection", "6.2.0",
     "Returns the connection's client-side caching state (always off).", ClientTrackingInfoCommand},
    {"client|unblock", -3, kConnAdmin, kNoKeys, kAdminCategories, "connection", "5.0.0",
     "Unblocks a client blocked in a blocking command.", ClientUnblockCommand},
    {"client|help", 2, kLoading | kStale, kNoKeys, kCategories, "connection", "5.0.0",
     "Describes the CLIENT subcommands.", ClientHelpCommand},
    {"client|caching", 3, kConn, kNoKeys, kCategories, "connection", "6.0.0",
     "Client-side caching hint (needs tracking, which Ember lacks).", ClientCachingCommand},
}};

const std::array<CommandSpec, 7> kCommandSubcommands = {{
    {"command|count", 2, kLS, kNoKeys, "@slow @connection", "server", "2.8.13",
     "Returns the number of commands.", CommandCountCommand},
    {"command|info", -2, kLS, kNoKeys, "@slow @connection", "server", "2.8.13",
     "Describes the named commands, or every command.", CommandInfoCommand},
    {"command|docs", -2, kLS, kNoKeys, "@slow @connection", "server", "7.0.0",
     "Documents the named commands, or every command.", CommandDocsCommand},
    {"command|list", -2, kLS, kNoKeys, "@slow @connection", "server", "7.0.0",
     "Lists command names, optionally filtered.", CommandListCommand},
    {"command|getkeys", -4, kLS, kNoKeys, "@slow @connection", "server", "2.8.13",
     "Extracts the key names from a full command.", CommandGetKeysCommand},
    {"command|getkeysandflags", -4, kLS, kNoKeys, "@slow @connection", "server", "7.0.0",
     "Extracts the key names and their access flags from a full command.",
     CommandGetKeysAndFlagsCommand},
    {"command|help", 2, kLS, kNoKeys, "@slow @connection", "server", "5.0.0",
     "Describes the COMMAND subcommands.", CommandHelpCommand},
}};

const std::array<CommandSpec, 5> kConfigSubcommands = {{
    {"config|get", -3, kAdminLS, kNoKeys, kAdminCats, "server", "2.0.0",
     "Returns the settings whose names match the patterns.", ConfigGetCommand},
    {"config|set", -4, kAdminLS, kNoKeys, kAdminCats, "server", "2.0.0",
     "Changes settings at runtime, all or none.", ConfigSetCommand},
    {"config|resetstat", 2, kAdminLS, kNoKeys, kAdminCats, "server", "2.0.0",
     "Zeroes the statistics INFO reports.", ConfigResetStatCommand},
    {"config|rewrite", 2, kAdminLS, kNoKeys, kAdminCats, "server", "2.8.0",
     "Writes the running settings back to the config file.", ConfigRewriteCommand},
    {"config|help", 2, kLS, kNoKeys, "@slow", "server", "5.0.0",
     "Describes the CONFIG subcommands.", ConfigHelpCommand},
}};

const std::array<CommandSpec, 5> kObjectSubcommands = {{
    {"object|encoding", 3, kReadOnly, kKey2, "@keyspace @read @slow", "generic", "2.2.3",
     "Returns the internal encoding of a key's value.", ObjectEncodingCommand},
    {"object|refcount", 3, kReadOnly, kKey2, "@keyspace @read @slow", "generic", "2.2.3",
     "Returns the reference count of a key's value.", ObjectRefCountCommand},
    {"object|idletime", 3, kReadOnly, kKey2, "@keyspace @read @slow", "generic", "2.2.3",
     "Returns the seconds since a key was last accessed.", ObjectIdleTimeCommand},
    {"object|freq", 3, kReadOnly, kKey2, "@keyspace @read @slow", "generic", "4.0.0",
     "Returns a key's access-frequency counter (LFU policies only).", ObjectFreqCommand},
    {"object|help", 2, kLS, kNoKeys, "@keyspace @slow", "generic", "6.2.0",
     "Describes the OBJECT subcommands.", ObjectHelpCommand},
}};

const std::array<CommandSpec, 5> kMemorySubcommands = {{
    {"memory|usage", -3, kReadOnly, kKey2, "@read @slow", "server", "4.0.0",
     "Estimates the bytes a key and its value take.", MemoryUsageCommand},
    {"memory|stats", 2, 0, kNoKeys, "@slow", "server", "4.0.0",
     "Reports the server's memory use in detail.", MemoryStatsCommand},
    {"memory|doctor", 2, 0, kNoKeys, "@slow", "server", "4.0.0",
     "Gives advice about the server's memory use.", MemoryDoctorCommand},
    {"memory|purge", 2, 0, kNoKeys, "@slow", "server", "4.0.0",
     "Asks the allocator to return free memory to the system.", MemoryPurgeCommand},
    {"memory|help", 2, kLS, kNoKeys, "@slow", "server", "4.0.0",
     "Describes the MEMORY subcommands.", MemoryHelpCommand},
}};

const std::array<CommandSpec, 4> kSlowlogSubcommands = {{
    {"slowlog|get", -2, kAdmin | kLS, kNoKeys, kAdminCats, "server", "2.2.12",
     "Returns the most recent slow log entries.", SlowlogGetCommand},
    {"slowlog|len", 2, kAdmin | kLS, kNoKeys, kAdminCats, "server", "2.2.12",
     "Returns the number of entries in the slow log.", SlowlogLenCommand},
    {"slowlog|reset", 2, kAdmin | kLS, kNoKeys, kAdminCats, "server", "2.2.12",
     "Empties the slow log.", SlowlogResetCommand},
    {"slowlog|help", 2, kLS, kNoKeys, "@slow", "server", "6.2.0",
     "Describes the SLOWLOG subcommands.", SlowlogHelpCommand},
}};

const std::array<CommandSpec, 5> kLatencySubcommands = {{
    {"latency|latest", 2, kAdminLS, kNoKeys, kAdminCats, "server", "2.8.13",
     "Returns the latest latency spike of each monitored event.", LatencyLatestCommand},
    {"latency|history", 3, kAdminLS, kNoKeys, kAdminCats, "server", "2.8.13",
     "Returns the latency spikes recorded for one event.", LatencyHistoryCommand},
    {"latency|reset", -2, kAdminLS, kNoKeys, kAdminCats, "server", "2.8.13",
     "Clears the latency samples of some or all events.", LatencyResetCommand},
    {"latency|doctor", 2, kAdminLS, kNoKeys, kAdminCats, "server", "2.8.13",
     "Describes the latency events in words.", LatencyDoctorCommand},
    {"latency|help", 2, kLS, kNoKeys, "@slow", "server", "2.8.13",
     "Describes the LATENCY subcommands.", LatencyHelpCommand},
}};

const std::array<CommandSpec, 2> kFunctionSubcommands = {{
    {"function|flush", -2, kWrite | kNoScript, kNoKeys, "@write @slow @scripting", "scripting",
     "7.0.0", "Deletes every function library.", FunctionFlushCommand},
    {"function|help", 2, kLS, kNoKeys, "@slow @scripting", "scripting", "7.0.0",
     "Describes the FUNCTION subcommands.", FunctionHelpCommand},
}};

const std::array<CommandSpec, 2> kScriptSubcommands = {{
    {"script|flush", -2, kNoScript, kNoKeys, "@slow @scripting", "scripting", "2.6.0",
     "Empties the script cache.", ScriptFlushCommand},
    {"script|help", 2, kLS, kNoKeys, "@slow @scripting", "scripting", "5.0.0",
     "Describes the SCRIPT subcommands.", ScriptHelpCommand},
}};
// clang-format on

}  // namespace ember::server
