// The HyperLogLog family (Redis's "hyperloglog" group, ACL category @hyperloglog):
// probabilistic cardinality counters kept in string values. Each command file ends with its
// rows; hyperloglog_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> HyperLogLogCommandDocs();  // hyperloglog_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(HllCommandRows),       // hll_commands.cc: PFADD, PFCOUNT, PFMERGE
    EMBER_COMMAND_FILE(HllDebugCommandRows),  // hll_debug_commands.cc: PFDEBUG, PFSELFTEST
};

constinit const CommandFamily kHyperLogLogFamily{"hyperloglog", kAclHyperLogLog, kFiles,
                                                 HyperLogLogCommandDocs};

}  // namespace ember::server
