// The generic family (Redis's "generic" group, ACL category @keyspace): commands on keys
// whatever their type. Each command file ends with its rows; generic_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> GenericCommandDocs();  // generic_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(KeyspaceCommandRows),     // keyspace_commands.cc: DEL, EXISTS, SCAN...
    EMBER_COMMAND_FILE(ExpireCommandRows),       // expire_commands.cc: EXPIRE, TTL, PERSIST...
    EMBER_COMMAND_FILE(CopyMoveCommandRows),     // copy_move_commands.cc: COPY, MOVE
    EMBER_COMMAND_FILE(ObjectCommandRows),       // object_command.cc: OBJECT
    EMBER_COMMAND_FILE(DumpRestoreCommandRows),  // dump_restore_commands.cc: DUMP, RESTORE
    EMBER_COMMAND_FILE(SortCommandRows),         // sort_command.cc: SORT, SORT_RO
    EMBER_COMMAND_FILE(WaitCommandRows),         // wait_command.cc: WAIT
};

constinit const CommandFamily kGenericFamily{"generic", kAclKeyspace, kFiles, GenericCommandDocs};

}  // namespace ember::server
