// The sorted-set family (Redis's "sorted-set" group, ACL category @sortedset): commands on
// sorted-set values. Each command file ends with its rows; zset_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> ZSetCommandDocs();  // zset_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kZSetFiles[] = {
    EMBER_COMMAND_FILE(ZSetMemberCommandRows),   // zset_commands.cc: ZADD, ZSCORE, ZRANK...
    EMBER_COMMAND_FILE(ZSetRangeCommandRows),    // zset_range_commands.cc: ZRANGE, ZCOUNT...
    EMBER_COMMAND_FILE(ZSetPopCommandRows),      // zset_pop_commands.cc: ZPOPMIN, BZPOPMIN...
    EMBER_COMMAND_FILE(ZSetAlgebraCommandRows),  // zset_algebra_commands.cc: ZUNION, ZINTER...
};

constinit const CommandFamily kZSetFamily{"sorted-set", kAclSortedSet, kZSetFiles, ZSetCommandDocs};

}  // namespace ember::server
