#include "storage/keyspace/entry.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "storage/value/chunk_bytes.h"
#include "storage/value/compact_string.h"
#include "storage/value/lazy_free.h"
#include "storage/value/number_format.h"
#include "storage/value/varint.h"

namespace ember::storage {

size_t Entry::SlotPlan::slot_size() const {
  switch (kind) {
    case SlotKind::kInline:
      return 1 + bytes.size();
    case SlotKind::kInteger:
      return sizeof(int64_t);
    case SlotKind::kBoxed:
      return sizeof(Value);
    case SlotKind::kPacked:
      return 2 * VarintSize(static_cast<uint32_t>(packed_capacity)) + packed_capacity;
  }
  return 0;
}

Entry::SlotPlan Entry::PlanValue(Value& value) {
  SlotPlan plan;
  if (!value.is_string()) {
    const std::optional<std::string_view> packed = value.collection().PackedBytes();
    if (packed.has_value() && packed->size() <= kMaxPackedValue) {
      // The Value still owns the object; the caller destroys it once the bytes are copied.
      plan.kind = SlotKind::kPacked;
      plan.packed_type = value.type();
      plan.bytes = *packed;
      plan.packed_capacity = packed->size();
      return plan;
    }
    plan.kind = SlotKind::kBoxed;
    plan.boxed = &value;
    return plan;
  }
  const CompactString& str = value.str();
  if (str.is_integer()) {
    plan.kind = SlotKind::kInteger;
    plan.integer = str.integer();
  } else if (str.size() <= kMaxInlineValue) {
    plan.bytes = str.BytesView();
  } else {
    plan.kind = SlotKind::kBoxed;
    plan.boxed = &value;
  }
  return plan;
}

Entry::SlotPlan Entry::PlanString(std::string_view value, Value* box) {
  SlotPlan plan;
  if (auto integer = ParseInt64(value)) {
    plan.kind = SlotKind::kInteger;
    plan.integer = *integer;
  } else if (value.size() <= kMaxInlineValue) {
    plan.bytes = value;
  } else {
    *box = Value::Bytes(value);
    plan.kind = SlotKind::kBoxed;
    plan.boxed = box;
  }
  return plan;
}

size_t Entry::FillChunk(size_t key_size, size_t wanted, bool ttl) {
  const size_t block = sizeof(Entry) + key_size + (ttl ? sizeof(int64_t) : 0) +
                       2 * VarintSize(static_cast<uint32_t>(wanted)) + wanted;
  const size_t usable = ChunkBytes(block) - 8;  // glibc's chunk header (chunk_bytes.h)
  const size_t filled = wanted + (usable - block);
  const bool same_width =
      VarintSize(static_cast<uint32_t>(filled)) == VarintSize(static_cast<uint32_t>(wanted));
  return same_width ? filled : wanted;
}

Entry* Entry::Allocate(std::string_view key, const SlotPlan& requested, uint32_t access,
                       std::optional<int64_t> expire_at_ms) {
  SlotPlan plan = requested;
  if (plan.kind == SlotKind::kPacked) {
    plan.packed_capacity = FillChunk(key.size(), plan.packed_capacity, expire_at_ms.has_value());
  }
  const size_t ttl_size = expire_at_ms.has_value() ? sizeof(int64_t) : 0;
  void* block = std::malloc(sizeof(Entry) + key.size() + plan.slot_size() + ttl_size);
  if (block == nullptr) throw std::bad_alloc();
  auto* entry = new (block) Entry();
  entry->key_size_ = static_cast<uint32_t>(key.size());
  std::memcpy(entry->tail(), key.data(), key.size());
  entry->set_access(access);
  entry->WriteSlot(plan);
  if (expire_at_ms.has_value()) entry->WriteExpire(*expire_at_ms);
  return entry;
}

Entry* Entry::Create(std::string_view key, Value value, uint32_t access) {
  return Allocate(key, PlanValue(value), access, std::nullopt);
}

Entry* Entry::CreateString(std::string_view key, std::string_view value, uint32_t access,
                           std::optional<int64_t> expire_at_ms) {
  Value box;
  return Allocate(key, PlanString(value, &box), access, expire_at_ms);
}

void Entry::Destroy(Entry* entry) {
  entry->DestroySlot();
  entry->~Entry();
  std::free(entry);
}

Entry* Entry::StoreValue(Entry* entry, Value value) { return Store(entry, PlanValue(value)); }

Entry* Entry::StoreValueFrom(Entry* entry, Value& value) { return Store(entry, PlanValue(value)); }

Entry* Entry::StoreString(Entry* entry, std::string_view value) {
  Value box;
  return Store(entry, PlanString(value, &box));
}

Entry* Entry::Resettle(Entry* entry) {
  Value* value = entry->boxed_value();
  if (value == nullptr || PlanValue(*value).kind == SlotKind::kBoxed) return entry;
  return StoreValue(entry, entry->TakeValue());
}

bool Entry::KeepsSlot(size_t capacity, size_t size) {
  return size <= capacity && capacity - size <= size / 2 + kMinPackedGrowthRoom;
}

Entry* Entry::Store(Entry* entry, const SlotPlan& requested) {
  SlotPlan plan = requested;
  if (plan.kind == SlotKind::kPacked) {
    const size_t size = plan.bytes.size();
    size_t wanted = size;
    if (entry->kind() == SlotKind::kPacked) {
      const PackedHeader old = entry->packed_header();
      if (KeepsSlot(old.capacity, size)) {
        entry->OverwritePacked(plan.packed_type, plan.bytes);  // no realloc, no move
        return entry;
      }
      if (old.size > 0 && size > old.size) wanted = size + std::max(kMinPackedGrowthRoom, size / 4);
    }
    plan.packed_capacity = FillChunk(entry->key_size_, wanted, entry->has_expire());
  }
  // A TTL is carried over; a TTL slot left by ClearExpire is dropped.
  const bool keeps_ttl = entry->has_expire();
  const int64_t expire_at_ms = keeps_ttl ? entry->expire_at() : 0;
  const size_t ttl_size = keeps_ttl ? sizeof(int64_t) : 0;
  const size_t old_size = entry->block_size();
  entry->DestroySlot();
  const size_t new_size = sizeof(Entry) + entry->key_size_ + plan.slot_size() + ttl_size;
  if (new_size != old_size) {
    // Only header and key bytes are live here, so realloc's byte copy is a valid move.
    void* block = std::realloc(entry, new_size);
    if (block == nullptr) {
      // The old block is intact: an empty string and the TTL fit where the old slots were.
      entry->WriteSlot(SlotPlan{});
      if (keeps_ttl) entry->WriteExpire(expire_at_ms);
      throw std::bad_alloc();
    }
    entry = static_cast<Entry*>(block);
  }
  entry->flags_ &= static_cast<uint8_t>(~kTtlSlotBit);
  entry->WriteSlot(plan);
  if (keeps_ttl) entry->WriteExpire(expire_at_ms);
  return entry;
}

Entry* Entry::SetExpireAt(Entry* entry, int64_t expire_at_ms) {
  if (!entry->has_ttl_slot()) {
    void* block = std::realloc(entry, entry->block_size() + sizeof(int64_t));
    if (block == nullptr) throw std::bad_alloc();
    entry = static_cast<Entry*>(block);
  }
  entry->WriteExpire(expire_at_ms);
  return entry;
}

int64_t Entry::expire_at() const {
  int64_t expire_at_ms;
  std::memcpy(&expire_at_ms, ttl_slot(), sizeof(expire_at_ms));
  return expire_at_ms;
}

void Entry::WriteExpire(int64_t expire_at_ms) {
  flags_ |= kHasExpireBit | kTtlSlotBit;
  std::memcpy(ttl_slot(), &expire_at_ms, sizeof(expire_at_ms));
}

void Entry::WriteSlot(const SlotPlan& plan) {
  flags_ = static_cast<uint8_t>((flags_ & ~(kKindMask | kPackedTypeMask)) |
                                (static_cast<uint8_t>(plan.kind) << kKindShift));
  char* out = slot();
  switch (plan.kind) {
    case SlotKind::kInline:
      out[0] = static_cast<char>(plan.bytes.size());
      if (!plan.bytes.empty()) std::memcpy(out + 1, plan.bytes.data(), plan.bytes.size());
      break;
    case SlotKind::kInteger:
      std::memcpy(out, &plan.integer, sizeof(plan.integer));
      break;
    case SlotKind::kBoxed:
      new (out) Value(std::move(*plan.boxed));
      break;
    case SlotKind::kPacked: {
      const size_t width = WriteVarint(static_cast<uint32_t>(plan.packed_capacity), out);
      WriteVarintPadded(0, width, out + width);
      OverwritePacked(plan.packed_type, plan.bytes);
      break;
    }
  }
}

Entry::PackedHeader Entry::packed_header() const {
  PackedHeader header;
  header.capacity = ReadVarint(slot(), &header.width);
  size_t size_width = 0;
  header.size = ReadVarint(slot() + header.width, &size_width);
  return header;
}

std::string_view Entry::packed_bytes() const {
  const PackedHeader header = packed_header();
  return {slot() + 2 * header.width, header.size};
}

void Entry::OverwritePacked(ValueType type, std::string_view bytes) {
  const PackedHeader header = packed_header();
  flags_ = static_cast<uint8_t>((flags_ & ~kPackedTypeMask) |
                                (static_cast<uint8_t>(type) << kPackedTypeShift));
  char* out = slot() + header.width;
  WriteVarintPadded(static_cast<uint32_t>(bytes.size()), header.width, out);
  // memmove: the bytes may be a view of this slot (a value taken and stored back unchanged),
  // and are the slot's own when edited there (KeepAttached).
  if (!bytes.empty() && bytes.data() != out + header.width) {
    std::memmove(out + header.width, bytes.data(), bytes.size());
  }
}

void Entry::DestroySlot() {
  if (kind() != SlotKind::kBoxed) return;
  // A large collection is freed off the engine thread (lazy_free.h).
  DisposeValue(std::move(*boxed()));
  boxed()->~Value();
}

size_t Entry::slot_size() const {
  switch (kind()) {
    case SlotKind::kInline:
      return 1 + static_cast<uint8_t>(slot()[0]);
    case SlotKind::kInteger:
      return sizeof(int64_t);
    case SlotKind::kBoxed:
      return sizeof(Value);
    case SlotKind::kPacked: {
      const PackedHeader header = packed_header();
      return 2 * header.width + header.capacity;
    }
  }
  return 0;
}

ValueRef Entry::value() const {
  switch (kind()) {
    case SlotKind::kInline:
      return ValueRef::Bytes({slot() + 1, static_cast<uint8_t>(slot()[0])});
    case SlotKind::kInteger: {
      int64_t integer;
      std::memcpy(&integer, slot(), sizeof(integer));
      return ValueRef::Integer(integer);
    }
    case SlotKind::kBoxed:
      return boxed()->Ref();
    case SlotKind::kPacked:
      return ValueRef::Packed(packed_type(), packed_bytes());
  }
  return ValueRef::Bytes({});
}

bool Entry::PrefetchValue(int step) const {
  if (kind() != SlotKind::kBoxed) return false;
  const Value& value = *boxed();
  if (step == 0) {
    value.PrefetchPayload();
    return !value.is_string();
  }
  return !value.is_string() && value.collection().PrefetchHot(step - 1);
}

Value Entry::TakeValue(UnpackedSpares* spares) {
  if (kind() == SlotKind::kBoxed) return std::move(*boxed());
  if (kind() == SlotKind::kPacked && spares != nullptr) {
    const PackedHeader header = packed_header();
    return spares->Attach(packed_type(), slot() + 2 * header.width, header.size, header.capacity);
  }
  return value().Clone();
}

bool Entry::KeepAttached(const Value& value) {
  if (kind() != SlotKind::kPacked || !UnpackedSpares::Attached(value)) return false;
  const std::optional<std::string_view> packed = value.collection().PackedBytes();
  const PackedHeader header = packed_header();
  if (!packed.has_value() || packed->size() > kMaxPackedValue ||
      !KeepsSlot(header.capacity, packed->size())) {
    return false;
  }
  OverwritePacked(value.type(), *packed);
  return true;
}

uint32_t Entry::access() const {
  return static_cast<uint32_t>(access_[0]) | static_cast<uint32_t>(access_[1]) << 8 |
         static_cast<uint32_t>(access_[2]) << 16;
}

void Entry::set_access(uint32_t access) {
  access_[0] = static_cast<uint8_t>(access);
  access_[1] = static_cast<uint8_t>(access >> 8);
  access_[2] = static_cast<uint8_t>(access >> 16);
}

size_t Entry::block_size() const {
  return sizeof(Entry) + key_size_ + slot_size() + (has_ttl_slot() ? sizeof(int64_t) : 0);
}

size_t Entry::value_heap_bytes() const {
  return kind() == SlotKind::kBoxed ? boxed()->HeapBytes() : 0;
}

}  // namespace ember::storage
