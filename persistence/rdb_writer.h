// RdbWriter: encodes a snapshot in Redis's RDB format, version 10 (Redis 7.0), onto a
// ByteSink. It buffers output and keeps the running CRC-64 of everything written, which
// Finish() appends after the EOF opcode (or zero when checksums are off, as Redis does).
//
// Call order: WriteHeader, any WriteAux, any WriteFunction, then per database
// WriteSelectDb, WriteResizeDb and WriteEntry for each key, then Finish. The writer owns
// no keyspace knowledge beyond storage::ValueRef: each value is written by its type's row
// in the saver table (rdb_value_savers.h) with the shared RdbEncoder; see rdb_save.h for
// dumping a whole Keyspace.
//
// Threading: one thread. The sink must outlive the writer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/byte_io.h"
#include "persistence/rdb_encoder.h"
#include "persistence/status.h"
#include "storage/value/value.h"

namespace ember::persistence {

struct RdbWriteOptions {
  bool compression = true;  // rdbcompression: LZF for strings over 20 bytes
  bool checksum = true;     // rdbchecksum: CRC-64 trailer (else eight zero bytes)
  bool aof_base = false;    // the `aof-base` AUX field: the file is an AOF base / preamble
  // The function libraries' code (FUNCTION LOAD payloads), saved before the databases
  // (rdb_functions.h). The server fills it in; persistence does not interpret it.
  std::vector<std::string> function_libraries = {};
  // The replication history the dataset stands at (Redis's rdbSaveInfo: the repl-stream-db,
  // repl-id and repl-offset AUX fields), so a replica restarted from the file can continue
  // by partial resync. The server fills it in for a primary with a backlog and a replica.
  struct ReplicationInfo {
    int stream_db = 0;
    std::string replid;
    int64_t offset = 0;
  };
  std::optional<ReplicationInfo> replication = std::nullopt;
};

class RdbWriter {
 public:
  RdbWriter(ByteSink* sink, RdbWriteOptions options);
  // The encoder points at the buffer: not copyable or movable.
  RdbWriter(const RdbWriter&) = delete;
  RdbWriter& operator=(const RdbWriter&) = delete;

  Status WriteHeader();
  Status WriteAux(std::string_view field, std::string_view value);
  // One function library (an RDB_OPCODE_FUNCTION2 record).
  Status WriteFunction(std::string_view code);
  Status WriteSelectDb(int db);
  Status WriteResizeDb(uint64_t keys, uint64_t keys_with_expire);
  // One key with its value; `expire_at_ms` is unix ms, or -1 for no TTL. Fails, writing
  // nothing, for a type the saver table does not support yet.
  Status WriteEntry(std::string_view key, storage::ValueRef value, int64_t expire_at_ms);
  // EOF opcode, checksum, and a final flush of the sink.
  Status Finish();

  uint64_t bytes_written() const { return bytes_written_; }

 private:
  // Moves the buffer to the sink once it is large; always when `force`.
  Status Drain(bool force);

  ByteSink* sink_;
  RdbWriteOptions options_;
  std::string buffer_;
  RdbEncoder encoder_;  // appends to buffer_
  uint64_t crc_ = 0;
  uint64_t bytes_written_ = 0;
};

}  // namespace ember::persistence
