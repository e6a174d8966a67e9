// Listpack: a sequence of strings and integers in one contiguous heap block, in Redis's
// listpack format byte for byte (Redis 7.0 listpack.c), so a small hash (or an Ember-internal
// small set) keeps its elements in one allocation, and saving it to an RDB file is writing
// its bytes as they are (RDB_TYPE_HASH_LISTPACK), and loading is validating and adopting them.
//
// Format (all integers little-endian):
//   header: total bytes (uint32), number of entries (uint16; 65535 = "count by walking")
//   entries: an encoding byte (and length / integer bytes) + the data + "backlen", the size
//            of encoding+data in 1-5 bytes read right to left (7 bits each, high bit = more)
//   end: 0xFF
// Entry encodings: 0xxxxxxx 7-bit uint; 10xxxxxx string of up to 63 bytes; 110xxxxx +1 byte
// 13-bit int; 1110xxxx +1 byte string of up to 4095 bytes; 0xF0 + 4-byte length string;
// 0xF1/0xF2/0xF3/0xF4 int16/int24/int32/int64. A value that is a canonical integer (what
// Redis's string2ll accepts and prints back identically) is stored as an integer, as Redis
// does, so the same elements give the same bytes in Ember and Redis.
//
// Entries are addressed by their byte offset in the block (as Redis's API uses pointers):
// First() / Next() / Prev() walk them; an offset stays valid until the next change.
//
// Ownership: a Listpack owns its block; movable, not copyable (Clone()). It never points
// into itself, so it survives being byte-copied inside a collection object. A moved-from
// Listpack may only be destroyed or assigned to. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "storage/value/compact_string.h"

namespace ember::storage {

class Listpack {
 public:
  // One entry, as stored: an integer, or a view of the string's bytes inside the block
  // (valid until the next change).
  struct Element {
    bool is_integer = false;
    int64_t integer = 0;
    std::string_view bytes;
    // The entry as text; an integer is rendered into `scratch`.
    std::string_view View(NumberBuffer& scratch) const;
    // Whether the entry equals `value` as Redis compares listpack entries (an integer entry
    // equals the string that spells it canonically).
    bool Equals(std::string_view value) const;
  };

  static constexpr size_t kNoEntry = static_cast<size_t>(-1);

  // An empty listpack (header and end byte).
  Listpack();
  Listpack(Listpack&& other) noexcept;
  Listpack& operator=(Listpack&& other) noexcept;
  Listpack(const Listpack&) = delete;
  Listpack& operator=(const Listpack&) = delete;
  ~Listpack();

  // Adopts a copy of `blob` after validating every entry deeply (header size and count,
  // each encoding, each backlen, the end byte; as Redis's lpValidateIntegrity with deep
  // checking), so a corrupt RDB payload is refused instead of read out of bounds. On
  // failure returns nullopt and sets `*error` to what is wrong.
  static std::optional<Listpack> FromBytes(std::string_view blob, std::string* error);
  Listpack Clone() const;

  // The whole block: what an RDB file stores for a listpack-encoded value.
  std::string_view bytes() const;
  // The block's first byte, read from this object alone (bytes() reads the block's header):
  // for prefetch hints.
  const char* block() const { return block_; }
  // Number of entries.
  size_t size() const;
  bool empty() const { return size() == 0; }
  // Heap bytes of the block, in allocator chunks (chunk_bytes.h).
  size_t HeapBytes() const;
  // Redis's lpSafeToAdd: whether growing the block by `add` bytes keeps it within 1 GiB
  // (kMaxSafeBytes), the limit past which Redis converts a listpack to a real table rather
  // than risk the 32-bit total-bytes field. Callers check it before adding big elements.
  static constexpr size_t kMaxSafeBytes = size_t{1} << 30;
  bool SafeToAdd(size_t add) const;

  // Offsets of entries: the first, the one after / before `offset` (kNoEntry past the
  // ends), the last. On an empty listpack First() and Last() are kNoEntry.
  size_t First() const;
  size_t Last() const;
  size_t Next(size_t offset) const;
  size_t Prev(size_t offset) const;
  // The entry at `offset`. Requires: a valid entry offset.
  Element Get(size_t offset) const;

  // The first entry from `offset` on that equals `value`, looking at every (skip + 1)-th
  // entry (skip 1 searches a hash's fields, which alternate with their values); kNoEntry
  // when none does.
  size_t Find(std::string_view value, size_t offset, size_t skip) const;

  // Appends `value` (an integer encoding when it is a canonical integer).
  void Append(std::string_view value);
  void AppendInteger(int64_t value);
  // Appends several entries with one growth of the block, each encoded as Append or
  // AppendInteger would: a stream entry's elements cost one reallocation, not one each.
  struct Item {
    bool is_integer = false;
    int64_t integer = 0;
    std::string_view bytes;
  };
  void AppendItems(std::span<const Item> items);
  // Inserts `value` before the entry at `offset` (kNoEntry: appends). Returns the new
  // entry's offset.
  size_t Insert(size_t offset, std::string_view value);
  // Replaces the entry at `offset` with `value`; returns its offset (unchanged).
  size_t Replace(size_t offset, std::string_view value);
  // Deletes `count` entries starting at `offset` (fewer when the end comes first). Returns
  // the offset of the entry that followed them, or kNoEntry.
  size_t Delete(size_t offset, size_t count);

 private:
  char* block_;  // null only when moved from: malloc'd, exactly total-bytes long
};

}  // namespace ember::storage
