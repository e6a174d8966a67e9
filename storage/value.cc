#include "storage/value.h"

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

Value Value::Clone() const {
  Value value;
  value.str_ = str_.Clone();
  return value;
}

std::string_view Value::EncodingName() const {
  if (str_.is_integer()) return "int";
  return str_.size() <= kEmbstrSizeLimit ? "embstr" : "raw";
}

}  // namespace ember::storage
