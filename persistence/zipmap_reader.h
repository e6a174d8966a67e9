// Reader of the zipmap, the compact encoding Redis before 2.6 wrote for small hashes (RDB
// type 9) and every later version still loads. Ember converts it at once (to a Listpack or
// a table); the layout is described in zipmap_reader.cc and docs/rdb_format.md.
//
// The whole blob is validated before anything is returned, as Redis's deep
// zipmapValidateIntegrity does: every length, value and run of free bytes stays inside the
// blob, the end byte is there, the count byte (unless 254, "unknown") matches. A malformed
// blob yields false and an error naming the byte offset inside the blob.
//
// Results are views into `blob`: valid while the caller keeps the blob. Stateless.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::persistence {

// Decodes every (field, value) pair of a zipmap, in order, into *pairs. An empty zipmap is
// malformed (Redis's check refuses it too).
bool DecodeZipmap(std::string_view blob,
                  std::vector<std::pair<std::string_view, std::string_view>>* pairs,
                  std::string* error);

}  // namespace ember::persistence
