// Intset: a sorted set of distinct integers in one contiguous heap block, in Redis's intset
// format byte for byte (Redis 7.0 intset.c), so a small integer set costs one allocation and
// 2, 4 or 8 bytes per member, and saving it to an RDB file is writing its bytes as they are
// (RDB_TYPE_SET_INTSET).
//
// Format (little-endian): encoding (uint32: the width in bytes, 2, 4 or 8), length (uint32),
// then `length` integers of that width in strictly ascending order. Adding a member that
// does not fit the width upgrades every member to the next width that fits (never
// downgrades, as Redis does).
//
// Ownership: an Intset owns its block; movable, not copyable (Clone()). A borrowed one
// (Borrow) views bytes kept elsewhere (an entry's slot), may only be read, and is valid while
// they are unchanged. It never points into itself. A moved-from Intset may only be destroyed
// or assigned to. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace ember::storage {

class Intset {
 public:
  // An empty intset of width 2.
  Intset();
  Intset(Intset&& other) noexcept;
  Intset& operator=(Intset&& other) noexcept;
  Intset(const Intset&) = delete;
  Intset& operator=(const Intset&) = delete;
  ~Intset();

  // Adopts a copy of `blob` after validating it (width 2, 4 or 8; the size matches the
  // length; members strictly ascending, so no duplicates), as Redis's intsetValidateIntegrity
  // does; like Redis it also refuses an empty intset (no empty set is ever saved). On
  // failure returns nullopt and sets `*error`.
  static std::optional<Intset> FromBytes(std::string_view blob, std::string* error);
  Intset Clone() const;
  // Makes this owning intset a copy of `bytes` (a whole block as bytes() returned it),
  // reusing its block. Requires: owning; bytes made by this class.
  void Assign(std::string_view bytes);
  // A read-only view of `bytes`, a whole block as bytes() returned it. Requires: bytes made by
  // this class (an entry's slot), never outside input.
  static Intset Borrow(std::string_view bytes);

  // The whole block: what an RDB file stores for an intset-encoded set.
  std::string_view bytes() const;
  size_t size() const;
  // The width of every member in bytes: 2, 4 or 8.
  size_t width() const;
  // Heap bytes of the block, in allocator chunks (chunk_bytes.h); 0 when borrowed.
  size_t HeapBytes() const;

  // Whether `value` is a member. O(log n).
  bool Contains(int64_t value) const;
  // Adds `value`; false when it was already a member. O(n) (members shift).
  bool Add(int64_t value);
  // Removes `value`; false when it was not a member.
  bool Remove(int64_t value);
  // The member at position `index` in ascending order. Requires: index < size().
  int64_t At(size_t index) const;
  // A uniformly chosen member. Requires: size() > 0.
  int64_t Random(std::mt19937_64& rng) const;

 private:
  Intset(char* borrowed, bool owned) : block_(borrowed), owned_(owned) {}

  char* block_;  // null only when moved from: malloc'd, exactly 8 + width * length bytes
  bool owned_ = true;
};

}  // namespace ember::storage
