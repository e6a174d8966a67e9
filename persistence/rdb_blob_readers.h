// Readers of the compact blobs collection loaders share (rdb_collection_loaders.h): a
// string holding a listpack, or a ziplist that is converted to the listpack Redis 7.0's
// own conversion produces (integers stay integer entries, strings stay strings, entry for
// entry). Each blob is validated whole before it is returned (listpack.h,
// ziplist_reader.h); a malformed one is refused as "invalid <what> listpack: ..." or
// "invalid <what> ziplist: ...", at the offset where the blob's string starts. Emptiness,
// entry counts and duplicates are the caller's to check. Stateless.
#pragma once

#include <string_view>

#include "persistence/rdb_input.h"
#include "persistence/status.h"
#include "storage/value/listpack.h"

namespace ember::persistence {

// `what` names the type in errors ("hash", "set", "zset").
Status ReadListpackBlob(RdbInput& input, std::string_view what, storage::Listpack* out);
Status ReadZiplistAsListpack(RdbInput& input, std::string_view what, storage::Listpack* out);

}  // namespace ember::persistence
