// RdbInput: the primitive decoders of the RDB format (bytes, lengths, strings in every
// encoding, little-endian times) over a ByteSource, keeping the running CRC-64 of all bytes
// consumed. RdbReader walks the opcodes with it; per-type value loaders
// (rdb_value_loaders.h) decode values with it.
//
// Errors carry the offset of the byte where decoding failed. Corrupt lengths never cause a
// large allocation up front: strings are read in bounded chunks, so a lying length ends in
// "unexpected end of file" rather than an out-of-memory crash.
//
// Threading: one thread. The source must outlive the input.
#pragma once

#include <cstdint>
#include <string>

#include "persistence/byte_io.h"
#include "persistence/status.h"
#include "storage/value/value.h"

namespace ember::persistence {

class RdbInput {
 public:
  explicit RdbInput(ByteSource* source) : source_(source) {}

  Status ReadByte(uint8_t* out);
  Status ReadExact(size_t n, std::string* out);
  // A plain length (the special string encodings are an error here).
  Status ReadLength(uint64_t* out);
  // A string in any encoding; integer encodings are rendered as decimal text.
  Status ReadString(std::string* out);
  // A string value, keeping integer encodings as integers.
  Status ReadStringValue(storage::Value* out);
  Status ReadLittleEndian(int bytes, uint64_t* out);

  // Offset of the next byte to be read.
  uint64_t offset() const { return source_->offset(); }
  // CRC-64 of every byte read so far.
  uint64_t crc() const { return crc_; }
  // An error at the current offset.
  Status Corrupt(std::string message) const {
    return Status::Error(std::move(message), static_cast<int64_t>(offset()));
  }

 private:
  // Reads the first byte of a length or string: sets *encoding to the special encoding
  // (0..63) and returns with *is_encoded true, or decodes a plain length into *length.
  Status ReadLengthOrEncoding(uint64_t* length, bool* is_encoded);
  Status ReadInteger(uint8_t encoding, int64_t* out);
  Status ReadLzf(std::string* out);

  ByteSource* source_;
  uint64_t crc_ = 0;
  std::string lzf_input_;  // ReadLzf's compressed bytes, kept to reuse its capacity
};

}  // namespace ember::persistence
