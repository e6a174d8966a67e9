// ZSetMemberMap: member -> node lookup for a large sorted set (zset_index.h), an
// open-addressed Robin Hood hash table of ZSetNode pointers that resizes incrementally.
//
// Why not the chained HashTable (hash_table.h): a chained node needs a `next` link, and for
// a 16-byte member that link turns a 24-byte request (32-byte chunk) into a 32-byte one
// (48-byte chunk). Open addressing keeps the link out of the node; a slot is one 8-byte
// word, and the table may run up to 31/32 full because Robin Hood probing (each slot
// remembers its distance from its home; an insert displaces richer entries) keeps probe
// runs short and lets a miss stop early. The slot packs the node pointer (48-bit address,
// 8-byte aligned), 3 bits of the hash (most mismatches are rejected without reading the
// node) and 16 bits of probe distance. Probing only compares slots whose distance equals the
// probe's, i.e. entries with the same home.
//
// Incremental resize, as HashTable's: a resize allocates the new array, and each Find, Insert
// and Unlink then moves a few slots of the old one (kMigrateSlots), so no operation walks
// the table (Lookup, for const callers, moves none). While migrating, lookups consult both
// arrays and inserts go to the new one; the old array only loses entries, which leave
// tombstones that keep their distance, so its probe runs and early stops stay valid until
// it is freed.
//
// Memory: heap_bytes() counts the slot arrays in malloc chunks. The map links nodes and
// never allocates or frees them. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "storage/value/zset_node.h"

namespace ember::storage {

class ZSetMemberMap {
 public:
  ZSetMemberMap() = default;
  ZSetMemberMap(const ZSetMemberMap&) = delete;
  ZSetMemberMap& operator=(const ZSetMemberMap&) = delete;
  // Frees the slot arrays (not the nodes).
  ~ZSetMemberMap();

  // The node holding `member`, or nullptr. Performs one migration step.
  ZSetNode* Find(std::string_view member);
  // Like Find, without the migration step (for const callers).
  ZSetNode* Lookup(std::string_view member) const;
  // Links `node`. Requires: no linked node holds its member. May start a resize.
  void Insert(ZSetNode* node);
  // Unlinks and returns the node holding `member`, or nullptr. May start a shrink.
  ZSetNode* Unlink(std::string_view member);
  // Calls fn(node) for each linked node.
  template <typename Fn>
  void ForEach(Fn&& fn) const;
  // SCAN: calls fn for each node whose home slot is the cursor's (in both arrays while
  // migrating, as HashTable::Scan does with its two) and returns the next reverse-binary
  // cursor, 0 when the scan is complete (scan_cursor.h). A node's home is a function of its
  // hash alone, wherever probing put it, so every node present for a whole scan is returned
  // at least once across resizes; some may be returned twice.
  uint64_t Scan(uint64_t cursor, const std::function<void(const ZSetNode*)>& fn) const;

  size_t size() const { return size_; }
  // Slots of both arrays.
  size_t capacity() const { return current_.count() + old_.count(); }
  bool migrating() const { return old_.slots != nullptr; }
  // Chunks of the slot arrays. O(1).
  size_t heap_bytes() const { return heap_bytes_; }

  // "" when every node is found where its probe run puts it, distances match, sizes and
  // heap_bytes() agree; else what is wrong. O(capacity); for tests.
  std::string CheckInvariants() const;

 private:
  struct Array {
    uint64_t* slots = nullptr;
    size_t mask = 0;
    size_t used = 0;
    size_t count() const { return slots == nullptr ? 0 : mask + 1; }
  };
  static constexpr size_t kMinSlots = 8;
  // Old slots moved per operation while migrating: the old array (at most 31/32 full) is
  // gone long before inserts could fill the new one (twice as large).
  static constexpr size_t kMigrateSlots = 8;

  // Calls fn for the live nodes whose home slot in `array` is `home`.
  static void VisitHome(const Array& array, size_t home,
                        const std::function<void(const ZSetNode*)>& fn);
  // The slot index holding `member` in `array`, or SIZE_MAX.
  static size_t FindSlot(const Array& array, uint64_t hash, std::string_view member);
  // Robin Hood insert into an array without tombstones.
  static void Place(Array& array, uint64_t slot, uint64_t hash);
  // Removes slot `at` from an array without tombstones by shifting its run back.
  static void ShiftOut(Array& array, size_t at);
  void StartResize(size_t slots);
  void MigrateStep(size_t slots);
  void FinishMigration();
  Array NewArray(size_t slots);
  void FreeArray(Array& array);

  Array current_;
  Array old_;  // being drained into current_ while migrating
  size_t migrate_index_ = 0;
  size_t size_ = 0;
  size_t heap_bytes_ = 0;
};

namespace zset_member_map_internal {
constexpr uint64_t kPointerMask = 0x0000'ffff'ffff'fff8;
inline bool IsLive(uint64_t slot) { return (slot & kPointerMask) > 0x8; }
inline ZSetNode* NodeOf(uint64_t slot) { return reinterpret_cast<ZSetNode*>(slot & kPointerMask); }
}  // namespace zset_member_map_internal

template <typename Fn>
void ZSetMemberMap::ForEach(Fn&& fn) const {
  using zset_member_map_internal::IsLive;
  using zset_member_map_internal::NodeOf;
  for (const Array* array : {&current_, &old_}) {
    for (size_t i = 0; i < array->count(); ++i) {
      if (IsLive(array->slots[i])) fn(NodeOf(array->slots[i]));
    }
  }
}

}  // namespace ember::storage
