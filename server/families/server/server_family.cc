// The server family (Redis's "server" group, no ACL category of its own): the database,
// persistence, introspection and administration commands. Each command file ends with its
// rows; server_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> ServerCommandDocs();  // server_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(DatabaseCommandRows),     // database_commands.cc: DBSIZE, FLUSHDB...
    EMBER_COMMAND_FILE(ServerCommandRows),       // server_commands.cc: TIME, SHUTDOWN
    EMBER_COMMAND_FILE(InfoCommandRows),         // info_command.cc: INFO
    EMBER_COMMAND_FILE(PersistenceCommandRows),  // persistence_commands.cc: SAVE, BGSAVE...
    EMBER_COMMAND_FILE(CommandCommandRows),      // command_command.cc: COMMAND
    EMBER_COMMAND_FILE(ConfigCommandRows),       // config_command.cc: CONFIG
    EMBER_COMMAND_FILE(MemoryCommandRows),       // memory_command.cc: MEMORY
    EMBER_COMMAND_FILE(SlowlogCommandRows),      // slowlog_command.cc: SLOWLOG
    EMBER_COMMAND_FILE(LatencyCommandRows),      // latency_command.cc: LATENCY
    EMBER_COMMAND_FILE(LolwutCommandRows),       // lolwut_command.cc: LOLWUT
    EMBER_COMMAND_FILE(MonitorCommandRows),      // monitor_command.cc: MONITOR
    EMBER_COMMAND_FILE(DebugCommandRows),        // debug_command.cc: DEBUG
    EMBER_COMMAND_FILE(ReplicationCommandRows),  // replication_commands.cc: PSYNC, ROLE...
};

constinit const CommandFamily kServerFamily{"server", 0, kFiles, ServerCommandDocs};

}  // namespace ember::server
