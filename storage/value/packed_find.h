// FindEntry: the forward search of a list of listpack-encoded entries (listpack_codec.h)
// addressed by offsets, walked with Next and read with Get: Listpack::Find's. PackedList::Find
// walks the same way with one decode per entry; its test checks the two agree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "storage/value/number_format.h"

namespace ember::storage {

// The first entry of `list` from `offset` on that equals `value` (an integer entry equals
// the value's canonical integer reading), looking at every (skip + 1)-th entry; List::kNoEntry
// when none does. List: Next(offset), Get(offset) -> {is_integer, integer, bytes}.
template <class List>
size_t FindEntry(const List& list, std::string_view value, size_t offset, size_t skip) {
  // The value's integer reading is worked out once, not per integer entry compared.
  const std::optional<int64_t> as_integer = ParseInt64(value);
  size_t to_skip = 0;
  for (size_t at = offset; at != List::kNoEntry; at = list.Next(at)) {
    if (to_skip > 0) {
      --to_skip;
      continue;
    }
    const auto e = list.Get(at);
    if (e.is_integer ? (as_integer.has_value() && *as_integer == e.integer) : e.bytes == value) {
      return at;
    }
    to_skip = skip;
  }
  return List::kNoEntry;
}

}  // namespace ember::storage
