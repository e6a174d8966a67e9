// SetValue: the value of a set key, a collection of distinct members.
//
// Encodings, as Redis 7.0 names them for OBJECT ENCODING:
//   - kIntset: every member is a canonical integer (what Redis's string2ll accepts) and there
//     are at most EncodingLimits::set_max_intset_entries of them: one sorted Intset block
//     (intset.h), 2, 4 or 8 bytes per member.
//   - kHashtable: an incremental HashTable (hash_table.h) of member nodes, each node one
//     allocation holding the member's bytes and no length field (set_member_table.h says
//     how the length is read back), so a 16-byte member costs one 32-byte chunk and its
//     bucket slot. A sparse table shrinks as members are removed. A set converts to it when a
//     non-integer member is added or the intset would grow past the limit (one way, as in Redis).
// A new set starts as an intset; adding a non-integer first member converts it at once, so
// the result is what Redis's setTypeCreate would have chosen.
//
// Views returned by reads stay valid until the next change of the set; intset members are
// rendered into the caller's NumberBuffer.
//
// Memory: every block is counted in heap_bytes() (collection.h). Relocation: never points
// back at its Value. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "storage/value/collection.h"
#include "storage/value/compact_string.h"
#include "storage/value/encoding_limits.h"
#include "storage/value/intset.h"

namespace ember::storage {

class SetMemberTable;  // the kHashtable form (set_member_table.h)

class SetValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kSet;
  using MemberFn = std::function<void(std::string_view member)>;

  // An empty set in the intset encoding.
  SetValue();
  ~SetValue() override;
  SetValue(SetValue&& other) noexcept;

  // A read-only set viewing `packed`, the bytes PackedBytes() gave (an entry's slot); valid
  // while they are unchanged. Its heap_bytes() means nothing.
  static SetValue Borrow(std::string_view packed);
  // An owning set holding a copy of `packed` (PackedBytes()'s bytes).
  static std::unique_ptr<SetValue> FromPacked(std::string_view packed);
  // Makes this owning intset set a copy of `packed`, as FromPacked would, reusing its block
  // (a spare object, packed_value.h). Requires: encoding() == kIntset.
  void LoadPacked(std::string_view packed);

  // A set adopting `members` as its intset, converted to a table at once when it has more
  // than `limits` allows (as Redis does when it loads an intset).
  static std::unique_ptr<SetValue> FromIntset(Intset members, const EncodingLimits& limits);

  [[nodiscard]] std::unique_ptr<Collection> Clone() const override;
  // Number of members.
  size_t Size() const override;
  // The intset's bytes while the set is an intset; nullopt for a table.
  std::optional<std::string_view> PackedBytes() const override;

  bool Contains(std::string_view member) const;
  // Adds `member`, converting first when needed (see above). Returns true when it is new.
  bool Add(std::string_view member, const EncodingLimits& limits);
  // Removes `member`; false when absent. An emptied set is deleted by the ValueMutation.
  bool Remove(std::string_view member);

  // Calls fn for every member: ascending for an intset, table order for a table. fn must
  // not change the set.
  void ForEach(const MemberFn& fn) const;
  // SSCAN: visits the members of the buckets at `cursor` and returns the next cursor, 0 when
  // complete. An intset is visited whole, returning 0, as Redis does.
  uint64_t Scan(uint64_t cursor, const MemberFn& fn) const;
  // A randomly chosen member (SRANDMEMBER). Requires: Size() > 0.
  std::string_view Random(std::mt19937_64& rng, NumberBuffer& scratch) const;
  // Removes and returns a randomly chosen member (SPOP). Requires: Size() > 0.
  std::string PopRandom(std::mt19937_64& rng);

  // The intset. Requires: encoding() == kIntset (RDB save, DUMP).
  const Intset& intset() const;
  // Moves every member into a table.
  void ConvertToTable();

 private:
  // A set over `members` as they are, with nothing accounted (Borrow).
  explicit SetValue(Intset members);
  // Adds `member` to the table form; false when present. Accounts the node and buckets.
  bool InsertIntoTable(std::string_view member);
  // Re-accounts the table's bucket arrays after an operation that may have resized them.
  void SyncBucketChunks();

  // Exactly one is in use, as encoding() says.
  Intset members_;
  std::unique_ptr<SetMemberTable> table_;
};

}  // namespace ember::storage
