// RdbWriter: encodes a snapshot in Redis's RDB format, version 10 (Redis 7.0), onto a
// ByteSink. It buffers output and keeps the running CRC-64 of everything written, which
// Finish() appends after the EOF opcode (or zero when checksums are off, as Redis does).
//
// Call order: WriteHeader, any WriteAux, then per database WriteSelectDb, WriteResizeDb and
// WriteEntry for each key, then Finish. The writer owns no keyspace knowledge beyond
// storage::ValueRef; see rdb_save.h for dumping a whole Keyspace.
//
// Threading: one thread. The sink must outlive the writer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "persistence/byte_io.h"
#include "persistence/status.h"
#include "storage/value/value.h"

namespace ember::persistence {

struct RdbWriteOptions {
  bool compression = true;  // rdbcompression: LZF for strings over 20 bytes
  bool checksum = true;     // rdbchecksum: CRC-64 trailer (else eight zero bytes)
  bool aof_base = false;    // the `aof-base` AUX field: the file is an AOF base / preamble
};

class RdbWriter {
 public:
  RdbWriter(ByteSink* sink, RdbWriteOptions options);

  Status WriteHeader();
  Status WriteAux(std::string_view field, std::string_view value);
  Status WriteSelectDb(int db);
  Status WriteResizeDb(uint64_t keys, uint64_t keys_with_expire);
  // One key with its value; `expire_at_ms` is unix ms, or -1 for no TTL.
  Status WriteEntry(std::string_view key, storage::ValueRef value, int64_t expire_at_ms);
  // EOF opcode, checksum, and a final flush of the sink.
  Status Finish();

  uint64_t bytes_written() const { return bytes_written_; }

 private:
  void PutByte(uint8_t b) { buffer_.push_back(static_cast<char>(b)); }
  void PutLength(uint64_t length);
  void PutString(std::string_view s);
  // A string that is a canonical integer, in the smallest integer encoding that holds it;
  // falls back to the decimal text when it needs more than 32 bits (as Redis does).
  void PutInteger(int64_t value);
  void PutStringValue(storage::ValueRef s);
  // Moves the buffer to the sink once it is large; always when `force`.
  Status Drain(bool force);

  ByteSink* sink_;
  RdbWriteOptions options_;
  std::string buffer_;
  uint64_t crc_ = 0;
  uint64_t bytes_written_ = 0;
};

}  // namespace ember::persistence
