#include "persistence/rdb_input.h"

#include <fmt/format.h>

#include <algorithm>

#include "persistence/crc64.h"
#include "persistence/rdb_format.h"
#include "storage/value/lzf_codec.h"
#include "storage/value/number_format.h"

namespace ember::persistence {
namespace {

// Largest slice read (and allocated) at once; see the header on lying lengths.
constexpr size_t kReadChunk = 1 << 20;
// LZF cannot expand input more than about 90 times (a 3-byte back reference yields at most
// 264 bytes); a larger claimed ratio is corruption, refused before allocating.
constexpr uint64_t kMaxLzfRatio = 128;

}  // namespace

Status RdbInput::ReadByte(uint8_t* out) {
  char c;
  Status s = source_->Read(1, &c);
  if (!s.ok()) return s;
  crc_ = Crc64(crc_, std::string_view(&c, 1));
  *out = static_cast<uint8_t>(c);
  return Status::Ok();
}

Status RdbInput::ReadExact(size_t n, std::string* out) {
  out->clear();
  while (out->size() < n) {
    size_t start = out->size();
    size_t take = std::min(kReadChunk, n - start);
    out->resize(start + take);
    Status s = source_->Read(take, out->data() + start);
    if (!s.ok()) return s;
    crc_ = Crc64(crc_, std::string_view(out->data() + start, take));
  }
  return Status::Ok();
}

Status RdbInput::ReadLittleEndian(int bytes, uint64_t* out) {
  char buf[8];
  Status s = source_->Read(static_cast<size_t>(bytes), buf);
  if (!s.ok()) return s;
  crc_ = Crc64(crc_, std::string_view(buf, static_cast<size_t>(bytes)));
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(buf[i]);
  *out = v;
  return Status::Ok();
}

Status RdbInput::ReadLengthOrEncoding(uint64_t* length, bool* is_encoded) {
  uint8_t first;
  Status s = ReadByte(&first);
  if (!s.ok()) return s;
  *is_encoded = false;
  switch (first >> 6) {
    case rdb::kLen6Bit:
      *length = first & 0x3f;
      return Status::Ok();
    case rdb::kLen14Bit: {
      uint8_t second;
      s = ReadByte(&second);
      *length = (static_cast<uint64_t>(first & 0x3f) << 8) | second;
      return s;
    }
    case rdb::kEncodedValue:
      *is_encoded = true;
      *length = first & 0x3f;
      return Status::Ok();
    default:
      break;
  }
  if (first != rdb::kLen32Bit && first != rdb::kLen64Bit) {
    return Corrupt(fmt::format("invalid length encoding byte 0x{:02x}", first));
  }
  uint64_t raw;
  const int bytes = first == rdb::kLen32Bit ? 4 : 8;
  s = ReadLittleEndian(bytes, &raw);
  if (!s.ok()) return s;
  // Stored big-endian: swap what ReadLittleEndian assembled.
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | ((raw >> (8 * i)) & 0xff);
  *length = v;
  return Status::Ok();
}

Status RdbInput::ReadLength(uint64_t* out) {
  bool encoded;
  Status s = ReadLengthOrEncoding(out, &encoded);
  if (s.ok() && encoded) return Corrupt("expected a length, found a string encoding");
  return s;
}

Status RdbInput::ReadInteger(uint8_t encoding, int64_t* out) {
  const int bytes = encoding == rdb::kEncInt8 ? 1 : encoding == rdb::kEncInt16 ? 2 : 4;
  uint64_t raw;
  Status s = ReadLittleEndian(bytes, &raw);
  if (!s.ok()) return s;
  if (bytes == 1) *out = static_cast<int8_t>(raw);
  if (bytes == 2) *out = static_cast<int16_t>(raw);
  if (bytes == 4) *out = static_cast<int32_t>(raw);
  return Status::Ok();
}

Status RdbInput::ReadLzf(std::string* out) {
  uint64_t compressed_length, length;
  Status s = ReadLength(&compressed_length);
  if (s.ok()) s = ReadLength(&length);
  if (!s.ok()) return s;
  if (length > compressed_length * kMaxLzfRatio + 64) {
    return Corrupt(fmt::format("LZF string claims {} bytes from {} compressed bytes", length,
                               compressed_length));
  }
  s = ReadExact(compressed_length, &lzf_input_);
  if (!s.ok()) return s;
  if (!storage::LzfDecompress(lzf_input_, length, out))
    return Corrupt("invalid LZF compressed string");
  return Status::Ok();
}

Status RdbInput::ReadString(std::string* out) {
  uint64_t length;
  bool encoded;
  Status s = ReadLengthOrEncoding(&length, &encoded);
  if (!s.ok()) return s;
  if (!encoded) return ReadExact(length, out);
  if (length == rdb::kEncLzf) return ReadLzf(out);
  if (length > rdb::kEncInt32) {
    return Corrupt(fmt::format("unknown string encoding {}", length));
  }
  int64_t v;
  s = ReadInteger(static_cast<uint8_t>(length), &v);
  if (s.ok()) *out = storage::Int64ToString(v);
  return s;
}

Status RdbInput::ReadStringValue(storage::Value* out) {
  uint64_t length;
  bool encoded;
  Status s = ReadLengthOrEncoding(&length, &encoded);
  if (!s.ok()) return s;
  std::string bytes;
  if (encoded && length <= rdb::kEncInt32) {
    int64_t v;
    s = ReadInteger(static_cast<uint8_t>(length), &v);
    if (s.ok()) *out = storage::Value::Integer(v);
    return s;
  }
  if (!encoded) {
    s = ReadExact(length, &bytes);
  } else if (length == rdb::kEncLzf) {
    s = ReadLzf(&bytes);
  } else {
    return Corrupt(fmt::format("unknown string encoding {}", length));
  }
  if (s.ok()) *out = storage::Value::String(bytes);
  return s;
}

}  // namespace ember::persistence
