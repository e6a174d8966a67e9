// The list family (Redis's "list" group, ACL category @list): commands on list values. Each
// command file ends with its rows; list_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> ListCommandDocs();  // list_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kListFiles[] = {
    EMBER_COMMAND_FILE(ListCommandRows),          // list_commands.cc: LPUSH, LPOP, LRANGE...
    EMBER_COMMAND_FILE(ListEditCommandRows),      // list_edit_commands.cc: LSET, LREM, LMOVE...
    EMBER_COMMAND_FILE(ListBlockingCommandRows),  // list_blocking_commands.cc: BLPOP, BLMOVE...
};

constinit const CommandFamily kListFamily{"list", kAclList, kListFiles, ListCommandDocs};

}  // namespace ember::server
