// RdbReader: decodes an RDB file (versions 1 to 12: Redis 2.x through 7.4) from a
// ByteSource, one key at a time, so the caller decides how much to load per step (the
// server loads in chunks while it keeps answering -LOADING).
//
// The reader walks the opcodes (AUX, SELECTDB, RESIZEDB, EXPIRETIME[_MS], IDLE, FREQ,
// FUNCTION2 and its pre-GA form, EOF) and hands each value's type byte to its loader
// (rdb_value_loaders.h). Function libraries are collected as their code (rdb_functions.h)
// for the server to create: persistence does not run them. A value type Ember
// cannot hold, or a corrupt value, is an error naming the key, the type and the offset —
// never a silent skip.
// At EOF the CRC-64 trailer is verified (version >= 5; a zero trailer means "not computed",
// as Redis writes with rdbchecksum no).
//
// Threading: one thread. The source must outlive the reader.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "persistence/byte_io.h"
#include "persistence/rdb_input.h"
#include "persistence/rdb_value_loaders.h"
#include "persistence/status.h"
#include "storage/value/value.h"

namespace ember::persistence {

struct RdbEntry {
  int db = 0;
  std::string key;
  storage::Value value;
  int64_t expire_at_ms = -1;  // unix ms; -1 when the key has no TTL
  // With RdbReader::set_strings_as_bytes: a string value (RDB type 0) is left as its bytes
  // here (integer encodings as decimal text) and `value` is unused.
  bool is_string = false;
  std::string string_bytes;
};

class RdbReader {
 public:
  // `context` decides the encodings of loaded collections (rdb_value_loaders.h).
  explicit RdbReader(ByteSource* source, RdbLoadContext context = {})
      : input_(source), context_(context) {}

  // String values arrive as RdbEntry::string_bytes, for a caller that stores them in one
  // allocation (Database::AddString) rather than building a Value first.
  void set_strings_as_bytes(bool on) { strings_as_bytes_ = on; }

  // Reads and checks the magic and version.
  Status ReadHeader();
  // Reads up to and including the next key into *entry and sets *at_end = false; or, at the
  // EOF opcode, verifies the checksum and sets *at_end = true. Requires: ReadHeader() ok.
  Status Next(RdbEntry* entry, bool* at_end);

  int version() const { return version_; }
  // AUX fields seen so far, in file order (unknown ones included; nothing acts on them).
  const std::vector<std::pair<std::string, std::string>>& aux() const { return aux_; }
  // The function libraries' code read so far, in file order.
  const std::vector<std::string>& functions() const { return functions_; }
  // Whether the trailer held a checksum that was verified (false for old files and for
  // files written without one).
  bool checksum_verified() const { return checksum_verified_; }
  uint64_t offset() const { return input_.offset(); }

  // The latest RESIZEDB hint not yet taken: how many keys the file says database `db` holds
  // (a hint only: a corrupt file may lie). Cleared by taking it.
  struct ResizeHint {
    int db = 0;
    uint64_t keys = 0;
  };
  std::optional<ResizeHint> TakeResizeHint() { return std::exchange(resize_hint_, std::nullopt); }

 private:
  Status ReadValue(uint8_t type_byte, uint64_t type_offset, RdbEntry* entry);
  Status ReadTrailer();

  RdbInput input_;
  RdbLoadContext context_;
  int version_ = 0;
  int db_ = 0;
  std::vector<std::pair<std::string, std::string>> aux_;
  std::vector<std::string> functions_;
  bool checksum_verified_ = false;
  bool strings_as_bytes_ = false;
  std::optional<ResizeHint> resize_hint_;
};

}  // namespace ember::persistence
