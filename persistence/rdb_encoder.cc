#include "persistence/rdb_encoder.h"

#include <bit>
#include <cstring>

#include "persistence/rdb_format.h"
#include "storage/value/lzf_codec.h"
#include "storage/value/number_format.h"

namespace ember::persistence {
namespace {

// Redis only tries integer encodings on strings of at most 11 characters: nothing longer
// fits in 32 bits.
constexpr size_t kMaxIntegerCandidateLength = 11;

}  // namespace

void RdbEncoder::PutLength(uint64_t length) {
  if (length < (1 << 6)) {
    PutByte(static_cast<uint8_t>(length));
  } else if (length < (1 << 14)) {
    PutByte(static_cast<uint8_t>((rdb::kLen14Bit << 6) | (length >> 8)));
    PutByte(static_cast<uint8_t>(length & 0xff));
  } else if (length <= UINT32_MAX) {
    PutByte(rdb::kLen32Bit);
    for (int i = 3; i >= 0; --i) PutByte(static_cast<uint8_t>(length >> (8 * i)));
  } else {
    PutByte(rdb::kLen64Bit);
    for (int i = 7; i >= 0; --i) PutByte(static_cast<uint8_t>(length >> (8 * i)));
  }
}

void RdbEncoder::PutInteger(int64_t value) {
  const uint8_t special = rdb::kEncodedValue << 6;
  if (value >= INT8_MIN && value <= INT8_MAX) {
    PutByte(special | rdb::kEncInt8);
    PutByte(static_cast<uint8_t>(value));
  } else if (value >= INT16_MIN && value <= INT16_MAX) {
    PutByte(special | rdb::kEncInt16);
    for (int i = 0; i < 2; ++i) PutByte(static_cast<uint8_t>(value >> (8 * i)));
  } else if (value >= INT32_MIN && value <= INT32_MAX) {
    PutByte(special | rdb::kEncInt32);
    for (int i = 0; i < 4; ++i) PutByte(static_cast<uint8_t>(value >> (8 * i)));
  } else {
    char digits[24];
    size_t length = storage::FormatInt64(value, digits);
    PutLength(length);
    out_->append(digits, length);
  }
}

void RdbEncoder::PutString(std::string_view s) {
  if (s.size() <= kMaxIntegerCandidateLength) {
    if (auto integer = storage::ParseInt64(s)) {
      PutInteger(*integer);
      return;
    }
  }
  if (compression_ && s.size() > rdb::kMinCompressLength) {
    if (auto compressed = storage::LzfCompress(s)) {
      PutByte((rdb::kEncodedValue << 6) | rdb::kEncLzf);
      PutLength(compressed->size());
      PutLength(s.size());
      out_->append(*compressed);
      return;
    }
  }
  PutLength(s.size());
  out_->append(s);
}

void RdbEncoder::PutStringValue(storage::ValueRef value) {
  if (value.is_integer()) {
    PutInteger(value.integer());
    return;
  }
  PutString(value.bytes());
}

void RdbEncoder::PutBinaryDouble(double value) {
  static_assert(sizeof(double) == sizeof(uint64_t));
  const auto bits = std::bit_cast<uint64_t>(value);
  for (int i = 0; i < 8; ++i) PutByte(static_cast<uint8_t>(bits >> (8 * i)));
}

}  // namespace ember::persistence
