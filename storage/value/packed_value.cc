#include "storage/value/packed_value.h"

#include <cassert>

#include "storage/value/hash_value.h"
#include "storage/value/set_value.h"

namespace ember::storage {

Value UnpackValue(ValueType type, std::string_view bytes) {
  if (type == ValueType::kHash) return Value::Box(HashValue::FromPacked(bytes));
  assert(type == ValueType::kSet);
  return Value::Box(SetValue::FromPacked(bytes));
}

CollectionEncoding PackedEncoding(ValueType type) {
  return type == ValueType::kHash ? CollectionEncoding::kListpack : CollectionEncoding::kIntset;
}

Value UnpackedSpares::Unpack(ValueType type, std::string_view bytes) {
  Value& spare = spares_[static_cast<size_t>(type)];
  if (spare.is_string()) return UnpackValue(type, bytes);
  if (type == ValueType::kHash) {
    spare.As<HashValue>().LoadPacked(bytes);
  } else {
    assert(type == ValueType::kSet);
    spare.As<SetValue>().LoadPacked(bytes);
  }
  return std::move(spare);
}

void UnpackedSpares::Recycle(Value value) {
  // Bigger than any packed form plus its edit room: such an object is not worth keeping.
  constexpr size_t kMaxSpareBytes = 4096;
  if (value.is_string()) return;
  Value& spare = spares_[static_cast<size_t>(value.type())];
  if (!spare.is_string() || value.collection().encoding() != PackedEncoding(value.type()) ||
      value.HeapBytes() > kMaxSpareBytes) {
    return;
  }
  spare = std::move(value);
}

}  // namespace ember::storage
