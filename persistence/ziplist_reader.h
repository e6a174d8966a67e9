// Reader of the ziplist, the compact encoding Redis wrote for small hashes, lists and sorted
// sets before 7.0 (RDB types 10, 12, 13) and still loads. Ember never keeps the form: a
// loader decodes the blob and rebuilds the value as a Listpack or a table. (The older
// zipmap has its own reader, zipmap_reader.h.)
//
// The whole blob is validated before anything is returned, as Redis's deep
// ziplistValidateIntegrity does: every length and offset stays inside the blob, the
// header's size, tail and count agree with the entries, each entry's prevlen matches the
// entry before it. A malformed blob yields false and an error naming the byte offset inside
// the blob; nothing is read out of bounds.
//
// Results are views into `blob`: valid while the caller keeps the blob. Stateless.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
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

}  // namespace ember::persistence
