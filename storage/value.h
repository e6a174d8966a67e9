// Value: what a key maps to. A tagged representation so that later types (lists, hashes,
// sets, sorted sets) slot in beside strings without changing the keyspace, RDB or AOF code
// that only moves values around. Today every value is a string.
//
// Every value carries a 24-bit access field (kept in its string's spare bytes, so an entry
// stays 40 bytes): the key's LRU clock or LFU counter, as access_clock.h encodes it. Moves
// and Clone() carry it; replacing the contents (Assign, Append...) keeps it.
//
// Ownership: a Value owns its payload; movable, not copyable (use Clone()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/compact_string.h"

namespace ember::storage {

enum class ValueType : unsigned char { kString, kList, kSet, kZSet, kHash, kStream };

// Redis's TYPE reply word for a type ("string", "list", ...).
std::string_view TypeName(ValueType type);

class Value {
 public:
  Value() = default;
  // A string value; canonical integers are stored as integers.
  static Value String(std::string_view bytes);
  static Value Integer(int64_t value);

  ValueType type() const { return ValueType::kString; }

  // Requires: type() == ValueType::kString. Change the string through its methods; assigning
  // a whole CompactString would drop the access field's layout.
  const CompactString& str() const { return str_; }
  CompactString& str() { return str_; }

  // The 24-bit access field (LRU clock or LFU data, see access_clock.h).
  uint32_t access() const { return str_.aux(); }
  void set_access(uint32_t access) { str_.set_aux(access); }

  Value Clone() const;

  // Heap bytes owned by the payload (0 for inline strings and integers).
  size_t HeapBytes() const { return str_.HeapBytes(); }

  // OBJECT ENCODING in Redis's words, so tools that inspect encodings see what they
  // expect: "int" for integers, "embstr" for strings up to 44 bytes, "raw" beyond.
  std::string_view EncodingName() const;

 private:
  CompactString str_ = CompactString::WithAux();
};

}  // namespace ember::storage
