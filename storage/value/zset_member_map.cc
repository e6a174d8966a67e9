#include "storage/value/zset_member_map.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

#include "storage/table/hash_bytes.h"
#include "storage/table/scan_cursor.h"
#include "storage/value/chunk_bytes.h"

namespace ember::storage {
namespace {

using zset_member_map_internal::IsLive;
using zset_member_map_internal::kPointerMask;
using zset_member_map_internal::NodeOf;

// Slot layout: bits 0-2 the hash's top 3 bits (nodes are at least 8-byte aligned), bits
// 3-47 the node's address, bits 48-63 the distance from the home slot. 0 is empty; a
// tombstone has the address 8 and keeps its distance.
constexpr int kDistanceShift = 48;
constexpr uint64_t kTagMask = 0x7;
constexpr uint64_t kOneDistance = uint64_t{1} << kDistanceShift;
constexpr uint64_t kTombstoneAddress = 0x8;
constexpr uint64_t kMaxDistance = 0xffff;

uint64_t Distance(uint64_t slot) { return slot >> kDistanceShift; }
uint64_t TagOf(uint64_t hash) { return hash >> 61; }

uint64_t MakeSlot(const ZSetNode* node, uint64_t hash) {
  const auto address = reinterpret_cast<uint64_t>(node);
  // Not client input: an allocator breaking these assumptions cannot run this map.
  if ((address & ~kPointerMask) != 0) std::abort();
  return address | TagOf(hash);
}

uint64_t Tombstone(uint64_t slot) {
  return (slot & ~(kPointerMask | kTagMask)) | kTombstoneAddress;
}

uint64_t HashOf(const ZSetNode* node) { return HashBytes(MemberOf(node)); }

}  // namespace

ZSetMemberMap::~ZSetMemberMap() {
  FreeArray(current_);
  FreeArray(old_);
}

ZSetMemberMap::Array ZSetMemberMap::NewArray(size_t slots) {
  Array array;
  array.slots = static_cast<uint64_t*>(std::calloc(slots, sizeof(uint64_t)));
  if (array.slots == nullptr) throw std::bad_alloc();
  array.mask = slots - 1;
  heap_bytes_ += ChunkBytes(slots * sizeof(uint64_t));
  return array;
}

void ZSetMemberMap::FreeArray(Array& array) {
  if (array.slots == nullptr) return;
  heap_bytes_ -= ChunkBytes(array.count() * sizeof(uint64_t));
  std::free(array.slots);
  array = Array{};
}

size_t ZSetMemberMap::FindSlot(const Array& array, uint64_t hash, std::string_view member) {
  const uint64_t tag = TagOf(hash);
  size_t at = hash & array.mask;
  for (uint64_t distance = 0;; ++distance, at = (at + 1) & array.mask) {
    const uint64_t slot = array.slots[at];
    // Robin Hood order: an entry of this home would sit before any poorer one.
    if (slot == 0 || Distance(slot) < distance) return SIZE_MAX;
    if (Distance(slot) == distance && (slot & kTagMask) == tag && IsLive(slot) &&
        MemberOf(NodeOf(slot)) == member) {
      return at;
    }
  }
}

void ZSetMemberMap::VisitHome(const Array& array, size_t home,
                              const std::function<void(const ZSetNode*)>& fn) {
  // Robin Hood order keeps a home's entries together, after those of earlier homes that
  // overflowed into it; a poorer entry (or a hole) ends them. Tombstones keep distances.
  for (uint64_t distance = 0; distance <= array.mask; ++distance) {
    const uint64_t slot = array.slots[(home + distance) & array.mask];
    if (slot == 0 || Distance(slot) < distance) return;
    if (Distance(slot) == distance && IsLive(slot)) fn(NodeOf(slot));
  }
}

uint64_t ZSetMemberMap::Scan(uint64_t cursor,
                             const std::function<void(const ZSetNode*)>& fn) const {
  if (size_ == 0) return 0;
  if (!migrating()) {
    VisitHome(current_, cursor & current_.mask, fn);
    return NextScanCursor(cursor, current_.mask);
  }
  const Array* small = &current_;
  const Array* large = &old_;
  if (small->count() > large->count()) std::swap(small, large);
  VisitHome(*small, cursor & small->mask, fn);
  // The large array's homes that fold onto the small one's.
  do {
    VisitHome(*large, cursor & large->mask, fn);
    cursor = NextScanCursor(cursor, large->mask);
  } while (cursor & (small->mask ^ large->mask));
  return cursor;
}

void ZSetMemberMap::Place(Array& array, uint64_t slot, uint64_t hash) {
  size_t at = hash & array.mask;
  for (;;) {
    uint64_t& here = array.slots[at];
    if (here == 0) {
      here = slot;
      ++array.used;
      return;
    }
    if (Distance(here) < Distance(slot)) std::swap(here, slot);
    if (Distance(slot) == kMaxDistance) std::abort();  // unreachable below 31/32 fill
    slot += kOneDistance;
    at = (at + 1) & array.mask;
  }
}

void ZSetMemberMap::ShiftOut(Array& array, size_t at) {
  for (;;) {
    const size_t next = (at + 1) & array.mask;
    const uint64_t slot = array.slots[next];
    if (slot == 0 || Distance(slot) == 0) break;
    array.slots[at] = slot - kOneDistance;
    at = next;
  }
  array.slots[at] = 0;
  --array.used;
}

ZSetNode* ZSetMemberMap::Find(std::string_view member) {
  if (migrating()) MigrateStep(kMigrateSlots);
  return Lookup(member);
}

ZSetNode* ZSetMemberMap::Lookup(std::string_view member) const {
  if (size_ == 0) return nullptr;
  const uint64_t hash = HashBytes(member);
  for (const Array* array : {&current_, &old_}) {
    if (array->slots == nullptr) continue;
    const size_t at = FindSlot(*array, hash, member);
    if (at != SIZE_MAX) return NodeOf(array->slots[at]);
  }
  return nullptr;
}

void ZSetMemberMap::Insert(ZSetNode* node) {
  if (migrating()) MigrateStep(kMigrateSlots);
  if (current_.slots == nullptr) {
    current_ = NewArray(kMinSlots);
  } else if ((current_.used + 1) * 32 > current_.count() * 31) {
    // A shrink's migration can outlast the new array's room; finishing it first is rare.
    FinishMigration();
    StartResize(current_.count() * 2);
  }
  const uint64_t hash = HashOf(node);
  Place(current_, MakeSlot(node, hash), hash);
  ++size_;
}

ZSetNode* ZSetMemberMap::Unlink(std::string_view member) {
  if (migrating()) MigrateStep(kMigrateSlots);
  if (size_ == 0) return nullptr;
  const uint64_t hash = HashBytes(member);
  ZSetNode* node = nullptr;
  if (size_t at = FindSlot(current_, hash, member); at != SIZE_MAX) {
    node = NodeOf(current_.slots[at]);
    ShiftOut(current_, at);
  } else if (old_.slots != nullptr) {
    at = FindSlot(old_, hash, member);
    if (at == SIZE_MAX) return nullptr;
    node = NodeOf(old_.slots[at]);
    old_.slots[at] = Tombstone(old_.slots[at]);
    if (--old_.used == 0) FreeArray(old_);
  } else {
    return nullptr;
  }
  --size_;
  if (size_ == 0) {
    FreeArray(current_);
    FreeArray(old_);
  } else if (!migrating() && current_.count() > kMinSlots && size_ * 8 < current_.count()) {
    StartResize(std::max(kMinSlots, std::bit_ceil(size_ * 2)));
  }
  return node;
}

void ZSetMemberMap::StartResize(size_t slots) {
  old_ = std::exchange(current_, NewArray(slots));
  migrate_index_ = 0;
  if (old_.used == 0) FreeArray(old_);
}

void ZSetMemberMap::MigrateStep(size_t slots) {
  for (; slots > 0 && migrate_index_ < old_.count(); --slots, ++migrate_index_) {
    uint64_t& slot = old_.slots[migrate_index_];
    if (!IsLive(slot)) continue;
    ZSetNode* node = NodeOf(slot);
    const uint64_t hash = HashOf(node);
    Place(current_, MakeSlot(node, hash), hash);
    slot = Tombstone(slot);
    if (--old_.used == 0) break;
  }
  if (old_.used == 0) FreeArray(old_);
}

void ZSetMemberMap::FinishMigration() {
  if (migrating()) MigrateStep(SIZE_MAX);
}

std::string ZSetMemberMap::CheckInvariants() const {
  size_t expected_heap = 0;
  for (const Array* array : {&current_, &old_}) {
    if (array->slots == nullptr) continue;
    expected_heap += ChunkBytes(array->count() * sizeof(uint64_t));
    size_t live = 0;
    for (size_t i = 0; i < array->count(); ++i) {
      const uint64_t slot = array->slots[i];
      if (slot == 0) continue;
      const uint64_t previous = array->slots[(i - 1) & array->mask];
      if (Distance(slot) > 0 && (previous == 0 || Distance(previous) + 1 < Distance(slot))) {
        return "Robin Hood order broken at slot " + std::to_string(i);
      }
      if (!IsLive(slot)) {
        if (array == &current_) return "tombstone in the current array";
        continue;
      }
      ++live;
      const uint64_t hash = HashOf(NodeOf(slot));
      if (((hash + Distance(slot)) & array->mask) != i) return "distance does not match home";
      if ((slot & kTagMask) != TagOf(hash)) return "tag does not match hash";
    }
    if (live != array->used) return "used count differs from live slots";
  }
  if (current_.used + old_.used != size_) return "size differs from the arrays' counts";
  if (heap_bytes_ != expected_heap) return "heap bytes differ from the arrays";
  return "";
}

}  // namespace ember::storage
