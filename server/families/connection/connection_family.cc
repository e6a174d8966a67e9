// The connection family (Redis's "connection" group, ACL category @connection): the
// handshake and per-connection state. Each command file ends with its rows;
// connection_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> ConnectionCommandDocs();  // connection_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(ConnectionCommandRows),  // connection_commands.cc: PING, HELLO, AUTH...
    EMBER_COMMAND_FILE(ClientCommandRows),      // client_command.cc: CLIENT
};

constinit const CommandFamily kConnectionFamily{"connection", kAclConnection, kFiles,
                                                ConnectionCommandDocs};

}  // namespace ember::server
