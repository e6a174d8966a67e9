#include "persistence/rdb_writer.h"

#include <fmt/format.h>

#include "persistence/crc64.h"
#include "persistence/lzf_codec.h"
#include "persistence/rdb_format.h"
#include "storage/value/number_format.h"

namespace ember::persistence {
namespace {

constexpr size_t kDrainThreshold = 64 * 1024;

// Redis only tries integer encodings on strings of at most 11 characters: nothing longer
// fits in 32 bits.
constexpr size_t kMaxIntegerCandidateLength = 11;

}  // namespace

RdbWriter::RdbWriter(ByteSink* sink, RdbWriteOptions options) : sink_(sink), options_(options) {
  buffer_.reserve(kDrainThreshold * 2);
}

Status RdbWriter::WriteHeader() {
  buffer_.append(rdb::kMagic);
  buffer_.append(fmt::format("{:04}", rdb::kWriteVersion));
  return Drain(false);
}

Status RdbWriter::WriteAux(std::string_view field, std::string_view value) {
  PutByte(rdb::kOpAux);
  PutString(field);
  PutString(value);
  return Drain(false);
}

Status RdbWriter::WriteSelectDb(int db) {
  PutByte(rdb::kOpSelectDb);
  PutLength(static_cast<uint64_t>(db));
  return Drain(false);
}

Status RdbWriter::WriteResizeDb(uint64_t keys, uint64_t keys_with_expire) {
  PutByte(rdb::kOpResizeDb);
  PutLength(keys);
  PutLength(keys_with_expire);
  return Drain(false);
}

Status RdbWriter::WriteEntry(std::string_view key, storage::ValueRef value, int64_t expire_at_ms) {
  if (expire_at_ms >= 0) {
    PutByte(rdb::kOpExpireTimeMs);
    uint64_t ms = static_cast<uint64_t>(expire_at_ms);
    for (int i = 0; i < 8; ++i) PutByte(static_cast<uint8_t>(ms >> (8 * i)));
  }
  switch (value.type()) {
    case storage::ValueType::kString:
      PutByte(rdb::kTypeString);
      PutString(key);
      PutStringValue(value);
      break;
    default:
      return Status::Error(fmt::format("cannot save key '{}': type {} is not supported", key,
                                       storage::TypeName(value.type())));
  }
  return Drain(false);
}

Status RdbWriter::Finish() {
  PutByte(rdb::kOpEof);
  // The checksum covers every byte before it, so fold the buffer in before appending it.
  uint64_t crc = options_.checksum ? Crc64(crc_, buffer_) : 0;
  for (int i = 0; i < 8; ++i) PutByte(static_cast<uint8_t>(crc >> (8 * i)));
  if (options_.checksum) crc_ = crc;
  bytes_written_ += buffer_.size();
  Status s = sink_->Write(buffer_);
  buffer_.clear();
  if (!s.ok()) return s;
  return sink_->Flush();
}

void RdbWriter::PutLength(uint64_t length) {
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

void RdbWriter::PutInteger(int64_t value) {
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
    buffer_.append(digits, length);
  }
}

void RdbWriter::PutString(std::string_view s) {
  if (s.size() <= kMaxIntegerCandidateLength) {
    if (auto integer = storage::ParseInt64(s)) {
      PutInteger(*integer);
      return;
    }
  }
  if (options_.compression && s.size() > rdb::kMinCompressLength) {
    if (auto compressed = LzfCompress(s)) {
      PutByte((rdb::kEncodedValue << 6) | rdb::kEncLzf);
      PutLength(compressed->size());
      PutLength(s.size());
      buffer_.append(*compressed);
      return;
    }
  }
  PutLength(s.size());
  buffer_.append(s);
}

void RdbWriter::PutStringValue(storage::ValueRef s) {
  if (s.is_integer()) {
    PutInteger(s.integer());
    return;
  }
  PutString(s.bytes());
}

Status RdbWriter::Drain(bool force) {
  if (!force && buffer_.size() < kDrainThreshold) return Status::Ok();
  if (options_.checksum) crc_ = Crc64(crc_, buffer_);
  bytes_written_ += buffer_.size();
  Status s = sink_->Write(buffer_);
  buffer_.clear();
  return s;
}

}  // namespace ember::persistence
