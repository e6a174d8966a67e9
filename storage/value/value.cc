#include "storage/value/value.h"

#include <cstring>
#include <new>
#include <utility>

#include "storage/table/prefetch.h"
#include "storage/value/chunk_bytes.h"
#include "storage/value/number_format.h"
#include "storage/value/packed_value.h"

namespace ember::storage {

Value Value::String(std::string_view bytes) {
  Value value;
  value.str_.AssignValue(bytes);
  return value;
}

Value Value::Integer(int64_t integer) {
  Value value;
  value.str_.AssignInteger(integer);
  return value;
}

Value Value::Bytes(std::string_view bytes) {
  Value value;
  value.str_.Assign(bytes);
  return value;
}

Value Value::Box(std::unique_ptr<Collection> collection) {
  assert(collection != nullptr);
  Value value;
  value.Destroy();
  BoxBytes box{};
  Collection* raw = collection.release();
  std::memcpy(box.collection, &raw, sizeof(raw));
  box.meta =
      static_cast<uint8_t>(CompactString::kUnusedEncoding | (TypeIndex(raw->type()) << kTypeShift));
  new (&value.box_) BoxBytes(box);
  return value;
}

Value::Value(Value&& other) noexcept { TakeFrom(other); }

Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) {
    Destroy();
    TakeFrom(other);
  }
  return *this;
}

uint8_t Value::Meta() const {
  uint8_t meta;
  std::memcpy(&meta, reinterpret_cast<const char*>(this) + CompactString::kMetaByte, 1);
  return meta;
}

void Value::PrefetchPayload() const {
  const char* start = IsBoxMeta(Meta()) ? reinterpret_cast<const char*>(BoxedCollection())
                                        : static_cast<const char*>(str_.heap_address());
  if (start == nullptr) return;
  PrefetchForRead(start);
  PrefetchForRead(start + 64);
}

Collection* Value::BoxedCollection() const {
  assert(!is_string());
  Collection* collection;
  std::memcpy(&collection, box_.collection, sizeof(collection));
  return collection;
}

void Value::Destroy() {
  if (is_string()) {
    str_.~CompactString();
  } else {
    delete BoxedCollection();
  }
}

void Value::TakeFrom(Value& other) {
  if (other.is_string()) {
    new (&str_) CompactString(std::move(other.str_));
    return;
  }
  new (&box_) BoxBytes(other.box_);
  // The box is trivially destructible: `other` simply becomes an empty string.
  new (&other.str_) CompactString();
}

ValueRef Value::Ref() const {
  ValueRef ref;
  ref.value_ = this;
  ref.type_ = type();
  if (!is_string()) return ref;
  if (str_.is_integer()) {
    ref.integer_ = str_.integer();
    ref.is_integer_ = true;
  } else {
    ref.bytes_ = str_.BytesView();
  }
  return ref;
}

Value Value::Clone() const {
  if (!is_string()) return Box(collection().Clone());
  Value copy;
  copy.str_ = str_.Clone();
  return copy;
}

size_t Value::HeapBytes() const {
  if (!is_string()) return collection().heap_bytes();
  const size_t block = str_.HeapBytes();
  return block == 0 ? 0 : ChunkBytes(block);
}

ValueRef ValueRef::Integer(int64_t value) {
  ValueRef ref;
  ref.integer_ = value;
  ref.is_integer_ = true;
  return ref;
}

ValueRef ValueRef::Bytes(std::string_view bytes) {
  ValueRef ref;
  ref.bytes_ = bytes;
  return ref;
}

size_t ValueRef::size() const {
  if (!is_integer_) return bytes_.size();
  NumberBuffer scratch;
  return FormatInt64(integer_, scratch.data);
}

std::string_view ValueRef::View(NumberBuffer& scratch) const {
  if (!is_integer_) return bytes_;
  return {scratch.data, FormatInt64(integer_, scratch.data)};
}

void ValueRef::AppendTo(std::string* out) const {
  NumberBuffer scratch;
  out->append(View(scratch));
}

ValueRef ValueRef::Packed(ValueType type, std::string_view bytes) {
  ValueRef ref;
  ref.type_ = type;
  ref.bytes_ = bytes;
  ref.packed_ = true;
  return ref;
}

CollectionEncoding ValueRef::encoding() const {
  return packed_ ? PackedEncoding(type_, bytes_) : collection().encoding();
}

const Collection& ValueRef::collection() const {
  assert(value_ != nullptr && !is_string() && !packed_);
  return value_->collection();
}

Value ValueRef::Clone() const {
  if (packed_) return UnpackValue(type_, bytes_);
  if (!is_string()) return value_->Clone();
  return is_integer_ ? Value::Integer(integer_) : Value::Bytes(bytes_);
}

size_t ValueRef::HeapBytes() const { return value_ == nullptr ? 0 : value_->HeapBytes(); }

}  // namespace ember::storage
