// Readers of the two compact encodings Redis no longer writes but still loads: the ziplist
// (hashes, lists and sorted sets before 7.0, RDB types 10, 12, 13) and the zipmap (hashes
// before 2.6, RDB type 9). Ember never keeps either form: a loader decodes the blob with
// these readers and rebuilds the value as a Listpack or a table.
//
// Both readers validate the whole blob before returning anything, as Redis's deep integrity
// checks (ziplistValidateIntegrity, zipmapValidateIntegrity) do: every length and offset
// stays inside the blob, the header's size, tail and count agree with the entries, each
// entry's prevlen matches the entry before it. A malformed blob yields false and an error
// naming the byte offset inside the blob; nothing is read out of bounds.
//
// Results are views into `blob`: valid while the caller keeps the blob. Stateless.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::persistence {

// One ziplist entry as stored: an integer, or the bytes of a string.
struct ZiplistEntry {
  bool is_integer = false;
  int64_t integer = 0;
  std::string_view bytes;
};

// Decodes every entry of a ziplist, in order, into *entries.
bool DecodeZiplist(std::string_view blob, std::vector<ZiplistEntry>* entries, std::string* error);

// Decodes every (field, value) pair of a zipmap, in order, into *pairs. An empty zipmap is
// malformed (Redis's check refuses it too).
bool DecodeZipmap(std::string_view blob,
                  std::vector<std::pair<std::string_view, std::string_view>>* pairs,
                  std::string* error);

}  // namespace ember::persistence
