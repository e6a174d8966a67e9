// Entry: one key's record in a database, kept in one variable-length heap block, so a key
// with a short value costs one allocation and one cache line to find.
//
// Block layout:
//   [0, 8)    next: the keys table's chain link (HashTable's intrusive node)
//   [8, 12)   key size
//   [12, 15)  the 24-bit access field (LRU clock or LFU data, see access_clock.h)
//   [15]      flags: bit 0 the key has a TTL; bits 1-2 the value slot's kind; bit 3 the
//             block ends with a TTL slot; bits 4-6 a packed slot's ValueType; bit 7 the
//             snapshot mark (Database's point-in-time snapshots)
//   [16, 16 + key size)  the key's bytes
//   then the value slot, by kind:
//     kInline   a 1-byte length and up to kMaxInlineValue bytes (strings kept as bytes)
//     kInteger  an int64 (canonical integers, OBJECT ENCODING "int")
//     kBoxed    a Value (16 bytes, value.h): longer strings, whose bytes live in the
//               Value's own heap block, so APPEND grows them in place and RENAME moves no
//               bytes; and every collection not packed, as a box pointing at the object
//     kPacked   a small collection's bytes (Collection::PackedBytes: a hash's PackedList, a
//               set's intset, up to kMaxPackedValue bytes), so a small hash or set costs
//               this one block and no object: the slot's capacity as a varint, the bytes'
//               size as a varint of the same width, the bytes, then capacity - size unused
//               bytes. Reads borrow the bytes in place (ValueRef::Read). A change of a hash
//               edits the bytes where they lie (TakeValue attaches the object to them,
//               KeepAttached records the result); a set's is unpacked into a boxed object
//               and packed back (ValueMutation), rewritten in place when it fits. A new
//               slot's capacity fills its malloc chunk (no cost); a slot grown by a change
//               gets room for more (kMinPackedGrowthRoom), so a hash growing a field at a
//               time does not realloc its block every time.
//   then, with a TTL slot, the expiry time (unix ms, int64). A key without a TTL pays
//   nothing for the feature.
// For a 16-byte key and a 16-byte value that is 49 bytes: one 64-byte malloc chunk (80
// with a TTL). A 17-byte key holding a hash of five 8-byte fields with 16-byte values is
// 166 bytes: one 176-byte chunk, where Redis spends about 250 bytes.
//
// The block is sized to its contents, so storing a value whose slot differs in size, or
// giving a TTL to a key that has none, reallocates it and the entry may move (StoreValue,
// Resettle and SetExpireAt return the new address). Database relinks a moved entry;
// nothing else may keep an Entry* across those calls. ClearExpire never moves: the TTL
// slot stays until the next store.
//
// Relocation rule: SetExpireAt reallocs the block while a boxed Value is live in it, so the
// Value is moved by a byte copy. That is valid only because a Value never points into
// itself and a collection never points back at its Value or its entry (value.h,
// collection.h); a pointer into the slot (boxed_value()) dies with any move.
//
// Ownership: Create/Destroy; never copied or moved as an object. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "storage/value/packed_value.h"
#include "storage/value/value.h"

namespace ember::storage {

class Entry {
 public:
  static constexpr size_t kMaxInlineValue = 255;
  // The largest packed collection kept in the block; a bigger one stays boxed, so a change
  // to it (which unpacks and repacks) copies at most this much.
  static constexpr size_t kMaxPackedValue = 1024;
  // The room a packed slot that grows from a non-empty one gets beyond its bytes: a quarter
  // of them, at least kMinPackedGrowthRoom (a collection built by one command gets none). A
  // slot is rewritten smaller (realloc'd) only when its unused bytes exceed half its size
  // plus kMinPackedGrowthRoom, so the room a growth leaves is never taken back at once.
  static constexpr size_t kMinPackedGrowthRoom = 64;

  Entry* next = nullptr;

  // A new block for `key` holding `value`, with access field `access` and no TTL flag.
  static Entry* Create(std::string_view key, Value value, uint32_t access);
  // Like Create, encoding `value` as Value::String does (canonical integers as integers)
  // without building a Value first, and with a TTL when `expire_at_ms` holds one.
  static Entry* CreateString(std::string_view key, std::string_view value, uint32_t access,
                             std::optional<int64_t> expire_at_ms = std::nullopt);
  // Destroys the value and frees the block.
  static void Destroy(Entry* entry);
  // Replaces the value, keeping the key, the flags and the access field. Returns the
  // entry's address afterwards; when it differs, `entry` is freed and must not be read.
  [[nodiscard]] static Entry* StoreValue(Entry* entry, Value value);
  // Like StoreValue, but a collection packed into the slot is copied and left in `value`
  // (for reuse, UnpackedSpares); any other value is moved out, leaving an empty string.
  [[nodiscard]] static Entry* StoreValueFrom(Entry* entry, Value& value);
  [[nodiscard]] static Entry* StoreString(Entry* entry, std::string_view value);

  Entry(const Entry&) = delete;
  Entry& operator=(const Entry&) = delete;

  std::string_view key() const { return {tail(), key_size_}; }
  // The value's type, without building a ValueRef.
  ValueType type() const {
    switch (kind()) {
      case SlotKind::kBoxed:
        return boxed()->type();
      case SlotKind::kPacked:
        return packed_type();
      default:
        return ValueType::kString;
    }
  }
  ValueRef value() const;
  // Memory-latency hints for pipelined commands, in steps (step 0 first, each step reading
  // what the previous loaded): a boxed value's payload, then its collection's hot memory
  // (Collection::PrefetchHot). Returns whether a later step has more to load; inline,
  // integer and packed values live in the entry and have nothing. Changes nothing.
  bool PrefetchValue(int step) const;
  // Moves the value out, leaving an empty string; used to change a value and store it back.
  // A packed collection is unpacked into a boxed copy (the slot is left as it was), or, when
  // `spares` is given, into a spare object that may be attached to the slot's bytes and edit
  // them in place (UnpackedSpares::Attach): then, before anything else stores into or frees
  // this entry, KeepAttached must have succeeded or UnpackedSpares::Release been called.
  Value TakeValue(UnpackedSpares* spares = nullptr);
  // When `value`, taken from this packed slot by TakeValue and attached, still edits the
  // slot's bytes in place and is to stay packed here (small enough, not shrunk far below the
  // slot's capacity), records its new size and type in the slot and returns true: the
  // change is stored without a copy or a move. Returns false, changing nothing, otherwise.
  bool KeepAttached(const Value& value);
  // The Value in a kBoxed slot, to change in place; nullptr for other slots.
  // Valid until the entry moves. After a change, Resettle.
  Value* boxed_value() { return kind() == SlotKind::kBoxed ? boxed() : nullptr; }
  // Moves a boxed value changed in place into the slot kind it now needs (a string that
  // became an integer or short enough to be inline, a collection small enough to pack); a
  // no-op when it still needs a box.
  // Returns the entry's address afterwards, as StoreValue does.
  [[nodiscard]] static Entry* Resettle(Entry* entry);

  uint32_t access() const;
  void set_access(uint32_t access);
  bool has_expire() const { return (flags_ & kHasExpireBit) != 0; }
  // Absolute expiry time in unix ms. Requires: has_expire().
  int64_t expire_at() const;
  // Sets the TTL; adds the TTL slot (moving the entry) when the block has none.
  [[nodiscard]] static Entry* SetExpireAt(Entry* entry, int64_t expire_at_ms);
  // Drops the TTL without moving the entry.
  void ClearExpire() { flags_ &= static_cast<uint8_t>(~kHasExpireBit); }

  // Point-in-time snapshots (database.h): whether the entry is settled for the snapshot
  // whose mark has this value. Kept across moves and stores; a new block starts false.
  bool snapshot_mark() const { return (flags_ & kSnapshotMarkBit) != 0; }
  void set_snapshot_mark(bool mark) {
    flags_ =
        static_cast<uint8_t>(mark ? (flags_ | kSnapshotMarkBit) : (flags_ & ~kSnapshotMarkBit));
  }

  // Bytes of the block as requested from malloc.
  size_t block_size() const;
  // Heap bytes a boxed value owns beyond the block, in allocator chunks (Value::HeapBytes;
  // 0 for inline, integer and packed values).
  size_t value_heap_bytes() const;

 private:
  enum class SlotKind : uint8_t { kInline = 0, kInteger = 1, kBoxed = 2, kPacked = 3 };
  static constexpr uint8_t kHasExpireBit = 0x01;
  static constexpr int kKindShift = 1;
  static constexpr uint8_t kKindMask = 0x06;
  static constexpr uint8_t kTtlSlotBit = 0x08;
  static constexpr int kPackedTypeShift = 4;
  static constexpr uint8_t kPackedTypeMask = 0x70;
  static constexpr uint8_t kSnapshotMarkBit = 0x80;
  static_assert(kValueTypeCount <= 8, "a packed slot's type must fit flags bits 4-6");

  // What a value's slot will hold; `boxed` is consumed by WriteSlot. `bytes` are an inline
  // string's or a packed collection's (of `packed_type`).
  struct SlotPlan {
    SlotKind kind = SlotKind::kInline;
    ValueType packed_type = ValueType::kString;
    std::string_view bytes;
    size_t packed_capacity = 0;  // kPacked: >= bytes.size()
    int64_t integer = 0;
    Value* boxed = nullptr;
    size_t slot_size() const;
  };
  static SlotPlan PlanValue(Value& value);
  static SlotPlan PlanString(std::string_view value, Value* box);
  static Entry* Allocate(std::string_view key, const SlotPlan& plan, uint32_t access,
                         std::optional<int64_t> expire_at_ms);
  static Entry* Store(Entry* entry, const SlotPlan& plan);

  Entry() = default;
  ~Entry() = default;

  SlotKind kind() const { return static_cast<SlotKind>((flags_ & kKindMask) >> kKindShift); }
  ValueType packed_type() const {
    return static_cast<ValueType>((flags_ & kPackedTypeMask) >> kPackedTypeShift);
  }
  // A packed slot's header: capacity, size, and the width of each varint.
  struct PackedHeader {
    uint32_t capacity = 0;
    uint32_t size = 0;
    size_t width = 0;
  };
  PackedHeader packed_header() const;
  // A packed slot's collection bytes (after the header).
  std::string_view packed_bytes() const;
  // Rewrites a packed slot's bytes in place. Requires: a packed slot of capacity >= size.
  void OverwritePacked(ValueType type, std::string_view bytes);
  // The capacity a packed plan gets in a block for `key_size` bytes of key and, when
  // `ttl`, a TTL slot: at least `wanted`, grown to fill the malloc chunk.
  static size_t FillChunk(size_t key_size, size_t wanted, bool ttl);
  // Whether `size` packed bytes stay in a slot of `capacity` (kMinPackedGrowthRoom's rule).
  static bool KeepsSlot(size_t capacity, size_t size);
  const char* tail() const { return reinterpret_cast<const char*>(this + 1); }
  char* tail() { return reinterpret_cast<char*>(this + 1); }
  const char* slot() const { return tail() + key_size_; }
  char* slot() { return tail() + key_size_; }
  size_t slot_size() const;
  bool has_ttl_slot() const { return (flags_ & kTtlSlotBit) != 0; }
  char* ttl_slot() { return slot() + slot_size(); }
  const char* ttl_slot() const { return slot() + slot_size(); }
  // Sets both TTL bits and writes the time into the TTL slot. Requires: room for it.
  void WriteExpire(int64_t expire_at_ms);
  Value* boxed() { return reinterpret_cast<Value*>(slot()); }
  const Value* boxed() const { return reinterpret_cast<const Value*>(slot()); }
  void WriteSlot(const SlotPlan& plan);
  // Ends the lifetime of a boxed value; the slot's bytes are then free to overwrite.
  void DestroySlot();

  uint32_t key_size_ = 0;
  uint8_t access_[3] = {};
  uint8_t flags_ = 0;
};

static_assert(sizeof(Entry) == 16, "the entry header must stay 16 bytes");
static_assert(alignof(Value) == 1 && sizeof(Value) == 16,
              "a boxed Value is placed at any offset of the block");

}  // namespace ember::storage
