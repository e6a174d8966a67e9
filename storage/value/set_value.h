// SetValue: the value of a set key, a collection of distinct members.
//
// Forms, and what OBJECT ENCODING reports for them (Redis 7.0's words):
//   - intset: every member is a canonical integer (what Redis's string2ll accepts) and there
//     are at most EncodingLimits::set_max_intset_entries of them: one sorted Intset block
//     (intset.h), 2, 4 or 8 bytes per member. Reported "intset".
//   - member list: a set with a non-integer member, while it has at most kMaxListMembers
//     members of at most kMaxListMemberBytes bytes: the members in one PackedList block
//     (packed_list.h), in insertion order, as Redis 7.2 keeps a small set in a listpack.
//     Lookups walk the block, cheaper at these sizes than a table's node and bucket misses,
//     and a small one lives in its entry. Reported "hashtable", as Redis 7.0 reports every
//     such set, and saved (RDB, DUMP) as the plain set 7.0 writes.
//   - table: an incremental HashTable (hash_table.h) of member nodes, each node one
//     allocation holding the member's bytes and no length field (set_member_table.h says
//     how the length is read back), so a 16-byte member costs one 32-byte chunk and its
//     bucket slot. A sparse table shrinks as members are removed. Reported "hashtable".
// A new set starts as an intset. Adding a non-integer member makes it a member list when the
// result fits one and a table otherwise; a list crossing its limits, or an intset its own,
// becomes a table. Conversions go one way, as in Redis.
//
// Packed bytes (PackedBytes, Borrow): an intset's block or a member list's. They tell
// themselves apart (HoldsIntset in set_value.cc says how), so an entry keeps either.
//
// Views returned by reads stay valid until the next change of the set; integer members
// are rendered into the caller's NumberBuffer.
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
#include "storage/value/packed_list.h"

namespace ember::storage {

class SetMemberTable;  // the kHashtable form (set_member_table.h)

class SetValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kSet;
  // The member list's limits (Redis 7.2's set-max-listpack-entries and -value defaults).
  static constexpr size_t kMaxListMembers = 128;
  static constexpr size_t kMaxListMemberBytes = 64;
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
  // Makes this owning set a copy of `packed`, as FromPacked would, reusing its block (a
  // spare object, packed_value.h). Requires: the set is in a packed form (PackedBytes()).
  void LoadPacked(std::string_view packed);

  // A set adopting `members` as its intset, converted to a table at once when it has more
  // than `limits` allows (as Redis does when it loads an intset).
  static std::unique_ptr<SetValue> FromIntset(Intset members, const EncodingLimits& limits);

  [[nodiscard]] std::unique_ptr<Collection> Clone() const override;
  // Number of members.
  size_t Size() const override;
  // The intset's or the member list's bytes; nullopt for a table.
  std::optional<std::string_view> PackedBytes() const override;

  bool Contains(std::string_view member) const;
  // Adds `member`, converting first when needed (see above). Returns true when it is new.
  bool Add(std::string_view member, const EncodingLimits& limits);
  // Removes `member`; false when absent. An emptied set is deleted by the ValueMutation.
  bool Remove(std::string_view member);

  // Calls fn for every member: ascending for an intset, insertion order for a member list,
  // table order for a table. fn must not change the set.
  void ForEach(const MemberFn& fn) const;
  // SSCAN: visits the members of the buckets at `cursor` and returns the next cursor, 0 when
  // complete. An intset or a member list is visited whole, returning 0, as Redis does for
  // its compact forms (and for a table small enough that one call covers its buckets).
  uint64_t Scan(uint64_t cursor, const MemberFn& fn) const;
  // A randomly chosen member (SRANDMEMBER). Requires: Size() > 0.
  std::string_view Random(std::mt19937_64& rng, NumberBuffer& scratch) const;
  // Removes and returns a randomly chosen member (SPOP). Requires: Size() > 0.
  std::string PopRandom(std::mt19937_64& rng);

  // The intset. Requires: encoding() == kIntset (RDB save, DUMP).
  const Intset& intset() const;
  // Moves every member into a table.
  void ConvertToTable();
  // Whether the set is a member list (encoding() then says kHashtable).
  bool is_member_list() const { return encoding() == CollectionEncoding::kHashtable && !table_; }

 private:
  // A set over `members` as they are, with nothing accounted (Borrow).
  explicit SetValue(Intset members);
  explicit SetValue(PackedList members);
  // Moves every member of the intset into a member list.
  void ConvertToList();
  // Runs fn, which changes list_, re-accounting the list's block around it.
  template <typename Fn>
  void EditList(Fn&& fn);
  // Whether adding `member` (absent) to the member list keeps it within its limits.
  bool ListTakes(std::string_view member) const;
  // Adds `member` to the table form; false when present. Accounts the node and buckets.
  bool InsertIntoTable(std::string_view member);
  // Re-accounts the table's bucket arrays after an operation that may have resized them.
  void SyncBucketChunks();

  // Exactly one is in use: members_ for an intset, list_ for a member list, table_ for a
  // table.
  Intset members_;
  PackedList list_;
  std::unique_ptr<SetMemberTable> table_;
};

}  // namespace ember::storage
