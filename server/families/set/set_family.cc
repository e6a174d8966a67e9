// The set family (Redis's "set" group, ACL category @set): commands on set values. Each
// command file ends with its rows; set_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> SetCommandDocs();  // set_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kSetFiles[] = {
    EMBER_COMMAND_FILE(SetMemberCommandRows),   // set_commands.cc: SADD, SREM, SSCAN...
    EMBER_COMMAND_FILE(SetRandomCommandRows),   // set_random_commands.cc: SRANDMEMBER, SPOP
    EMBER_COMMAND_FILE(SetAlgebraCommandRows),  // set_algebra_commands.cc: SINTER, SUNION...
};

constinit const CommandFamily kSetFamily{"set", kAclSet, kSetFiles, SetCommandDocs};

}  // namespace ember::server
