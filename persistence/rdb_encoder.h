// RdbEncoder: the primitive encoders of Redis's RDB format, appending to a byte buffer:
// lengths, strings (integer and LZF encodings as Redis chooses them), binary doubles and
// listpack/intset blobs. RdbWriter writes opcodes and keys with it, and each per-type value
// saver (rdb_value_savers.h) writes its value with it, so every saver encodes exactly as
// Redis's rdbSave* functions do. The decoding side is RdbInput (rdb_input.h).
//
// Ownership: appends to a buffer owned by the caller, which must outlive the encoder.
// Threading: one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/value/value.h"

namespace ember::persistence {

class RdbEncoder {
 public:
  // `compression`: rdbcompression, LZF for strings over 20 bytes when it saves space.
  RdbEncoder(std::string* out, bool compression) : out_(out), compression_(compression) {}

  void PutByte(uint8_t b) { out_->push_back(static_cast<char>(b)); }
  // A length in the smallest of the 6-, 14-, 32- and 64-bit forms that holds it.
  void PutLength(uint64_t length);
  // A string: a canonical integer of up to 11 characters in the smallest integer encoding
  // that holds it (8, 16 or 32 bits), else LZF when compression is on, the string is over
  // 20 bytes and compressing saves space, else length and bytes (Redis's rdbSaveRawString).
  void PutString(std::string_view s);
  // An integer as a string: the smallest integer encoding, or its decimal text when it
  // needs more than 32 bits (Redis's rdbSaveLongLongAsStringObject).
  void PutInteger(int64_t value);
  // A string value: integer-encoded values as PutInteger, bytes as PutString.
  // Requires: value.is_string().
  void PutStringValue(storage::ValueRef value);
  // A double as 8 bytes, IEEE 754 little-endian (RDB_TYPE_ZSET_2 scores,
  // rdbSaveBinaryDoubleValue).
  void PutBinaryDouble(double value);
  // A serialized listpack or intset: Redis saves these blobs as plain strings, so they are
  // compressed under the same rule as PutString.
  void PutBlob(std::string_view blob) { PutString(blob); }

 private:
  std::string* out_;
  bool compression_;
};

}  // namespace ember::persistence
