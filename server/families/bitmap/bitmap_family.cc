// The bitmap family (Redis's "bitmap" group, ACL category @bitmap): bit-level commands on
// string values. Each command file ends with its rows; bitmap_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> BitmapCommandDocs();  // bitmap_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(BitmapCommandRows),    // bitmap_commands.cc: SETBIT, GETBIT, BITOP...
    EMBER_COMMAND_FILE(BitFieldCommandRows),  // bitfield_commands.cc: BITFIELD, BITFIELD_RO
};

constinit const CommandFamily kBitmapFamily{"bitmap", kAclBitmap, kFiles, BitmapCommandDocs};

}  // namespace ember::server
