// Value: what a key maps to. A tagged representation so that later types (lists, hashes,
// sets, sorted sets) slot in beside strings without changing the keyspace, RDB or AOF code
// that only moves values around. Today every value is a string.
//
// Ownership: a Value owns its payload; movable, not copyable (copy via Ref().ToValue()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/value/compact_string.h"

namespace ember::storage {

enum class ValueType : unsigned char { kString, kList, kSet, kZSet, kHash, kStream };

// Redis's TYPE reply word for a type ("string", "list", ...).
std::string_view TypeName(ValueType type);

class Value;

// ValueRef: a read-only view of a string value wherever it is kept: a Value, or the value
// slot of a stored entry (entry.h). Valid while the value it views is unchanged.
class ValueRef {
 public:
  static ValueRef Integer(int64_t value);
  static ValueRef Bytes(std::string_view bytes);

  ValueType type() const { return ValueType::kString; }
  bool is_integer() const { return is_integer_; }
  // Requires: is_integer().
  int64_t integer() const { return integer_; }
  // Requires: !is_integer().
  std::string_view bytes() const { return bytes_; }

  // Length of the string form (an integer's decimal digits).
  size_t size() const;
  // The bytes; an integer is rendered into `scratch` (see CompactString::View).
  std::string_view View(NumberBuffer& scratch) const;
  void AppendTo(std::string* out) const;
  // OBJECT ENCODING in Redis's words: "int" for integers, "embstr" for strings up to 44
  // bytes, "raw" beyond, so tools that inspect encodings see what they expect.
  std::string_view EncodingName() const;
  // An owned copy with the same encoding.
  Value ToValue() const;

 private:
  std::string_view bytes_;
  int64_t integer_ = 0;
  bool is_integer_ = false;
};

class Value {
 public:
  Value() = default;
  // A string value; canonical integers are stored as integers.
  static Value String(std::string_view bytes);
  static Value Integer(int64_t value);
  // A string value kept as bytes even when they spell an integer (APPEND's results).
  static Value Bytes(std::string_view bytes);

  ValueType type() const { return ValueType::kString; }

  // Requires: type() == ValueType::kString.
  const CompactString& str() const { return str_; }
  CompactString& str() { return str_; }

  ValueRef Ref() const;

  // Heap bytes owned by the payload (0 for inline strings and integers).
  size_t HeapBytes() const { return str_.HeapBytes(); }

  std::string_view EncodingName() const { return Ref().EncodingName(); }

 private:
  CompactString str_;
};

}  // namespace ember::storage
