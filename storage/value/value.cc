#include "storage/value/value.h"

#include "storage/value/number_format.h"

namespace ember::storage {
namespace {

// Redis keeps strings up to this length in one allocation with their object header
// (OBJ_ENCODING_EMBSTR_SIZE_LIMIT); OBJECT ENCODING reports "embstr" for them.
constexpr size_t kEmbstrSizeLimit = 44;

}  // namespace

std::string_view TypeName(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZSet:
      return "zset";
    case ValueType::kHash:
      return "hash";
    case ValueType::kStream:
      return "stream";
  }
  return "none";
}

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

ValueRef Value::Ref() const {
  return str_.is_integer() ? ValueRef::Integer(str_.integer()) : ValueRef::Bytes(str_.BytesView());
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

std::string_view ValueRef::EncodingName() const {
  if (is_integer_) return "int";
  return bytes_.size() <= kEmbstrSizeLimit ? "embstr" : "raw";
}

Value ValueRef::ToValue() const {
  return is_integer_ ? Value::Integer(integer_) : Value::Bytes(bytes_);
}

}  // namespace ember::storage
