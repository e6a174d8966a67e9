#include "storage/value/packed_value.h"

#include <cassert>

#include "storage/value/hash_value.h"
#include "storage/value/set_value.h"
#include "storage/value/zset_value.h"

namespace ember::storage {

Value UnpackValue(ValueType type, std::string_view bytes) {
  if (type == ValueType::kHash) return Value::Box(HashValue::FromPacked(bytes));
  if (type == ValueType::kZSet) return Value::Box(SortedSetValue::FromPacked(bytes));
  assert(type == ValueType::kSet);
  return Value::Box(SetValue::FromPacked(bytes));
}

CollectionEncoding PackedEncoding(ValueType type, std::string_view bytes) {
  if (type == ValueType::kHash || type == ValueType::kZSet) return CollectionEncoding::kListpack;
  assert(type == ValueType::kSet);
  return SetValue::Borrow(bytes).encoding();
}

Value UnpackedSpares::Unpack(ValueType type, std::string_view bytes) {
  Value& spare = spares_[static_cast<size_t>(type)];
  if (spare.is_string()) return UnpackValue(type, bytes);
  if (type == ValueType::kHash) {
    spare.As<HashValue>().LoadPacked(bytes);
  } else if (type == ValueType::kZSet) {
    spare.As<SortedSetValue>().LoadPacked(bytes);
  } else {
    assert(type == ValueType::kSet);
    spare.As<SetValue>().LoadPacked(bytes);
  }
  return std::move(spare);
}

Value UnpackedSpares::Attach(ValueType type, char* bytes, size_t size, size_t capacity) {
  if (type != ValueType::kHash) return Unpack(type, {bytes, size});
  Value& spare = spares_[static_cast<size_t>(type)];
  Value value = spare.is_string() ? Value::Box(std::make_unique<HashValue>()) : std::move(spare);
  value.As<HashValue>().AttachPacked(bytes, size, capacity);
  return value;
}

void UnpackedSpares::Release(Value& value) {
  if (value.type() == ValueType::kHash) value.As<HashValue>().OwnPackedBlock();
}

bool UnpackedSpares::Attached(const Value& value) {
  return value.type() == ValueType::kHash && value.As<HashValue>().attached();
}

void UnpackedSpares::Recycle(Value value) {
  // Bigger than any packed form plus its edit room: such an object is not worth keeping.
  constexpr size_t kMaxSpareBytes = 4096;
  if (value.is_string()) return;
  if (value.type() == ValueType::kHash) value.As<HashValue>().DetachPacked();
  Value& spare = spares_[static_cast<size_t>(value.type())];
  if (!spare.is_string() || !value.collection().PackedBytes().has_value() ||
      value.HeapBytes() > kMaxSpareBytes) {
    return;
  }
  spare = std::move(value);
}

}  // namespace ember::storage
