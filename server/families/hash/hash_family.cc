// The hash family (Redis's "hash" group, ACL category @hash): commands on hash values. Each
// command file ends with its rows; hash_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> HashCommandDocs();  // hash_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(HashWriteCommandRows),       // hash_write_commands.cc: HSET, HDEL...
    EMBER_COMMAND_FILE(HashReadCommandRows),        // hash_read_commands.cc: HGET, HGETALL...
    EMBER_COMMAND_FILE(HashRandomScanCommandRows),  // hash_random_scan_commands.cc
};

constinit const CommandFamily kHashFamily{"hash", kAclHash, kFiles, HashCommandDocs};

}  // namespace ember::server
