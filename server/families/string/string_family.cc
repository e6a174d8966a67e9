// The string family (Redis's "string" group, ACL category @string): commands on string
// values. Each command file ends with its rows; string_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> StringCommandDocs();  // string_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(StringCommandRows),       // string_commands.cc: SET, GET, MSET...
    EMBER_COMMAND_FILE(StringValueCommandRows),  // string_value_commands.cc: INCR, APPEND...
    EMBER_COMMAND_FILE(LcsCommandRows),          // lcs_command.cc: LCS
};

constinit const CommandFamily kStringFamily{"string", kAclString, kFiles, StringCommandDocs};

}  // namespace ember::server
