// The stream family (Redis's "stream" group, ACL category @stream): commands on stream
// values. Each command file ends with its rows; stream_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> StreamCommandDocs();  // stream_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kStreamFiles[] = {
    EMBER_COMMAND_FILE(StreamCommandRows),       // stream_commands.cc: XADD, XRANGE, XDEL, XTRIM...
    EMBER_COMMAND_FILE(StreamInfoCommandRows),   // stream_info_command.cc: XINFO
    EMBER_COMMAND_FILE(StreamReadCommandRows),   // stream_read_commands.cc: XREAD, XREADGROUP
    EMBER_COMMAND_FILE(StreamGroupCommandRows),  // stream_group_commands.cc: XGROUP, XACK...
    EMBER_COMMAND_FILE(StreamClaimCommandRows),  // stream_claim_commands.cc: XCLAIM, XAUTOCLAIM
};

constinit const CommandFamily kStreamFamily{"stream", kAclStream, kStreamFiles, StreamCommandDocs};

}  // namespace ember::server
