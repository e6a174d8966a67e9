// AofManifest: the list of files that make up a multi-part append-only file (Redis 7.0's
// layout, docs/aof_format.md). The manifest lives in the AOF directory beside the files it
// names; each line names one file, its sequence number and its type:
//
//   file appendonly.aof.2.base.rdb seq 2 type b
//   file appendonly.aof.2.incr.aof seq 2 type i
//
// Parsing and rendering are pure functions on text: reading and atomically replacing the
// manifest file is the caller's job (write a temp file, fsync, rename, fsync the directory).
//
// Threading: value types and pure functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/status.h"

namespace ember::persistence {

enum class AofFileType { kBase, kHistory, kIncr };  // 'b', 'h', 'i' in the manifest

struct AofFileInfo {
  std::string name;
  int64_t seq = 0;
  AofFileType type = AofFileType::kIncr;
};

struct AofManifest {
  std::optional<AofFileInfo> base;
  std::vector<AofFileInfo> incrs;  // in manifest order (ascending seq)
  std::vector<AofFileInfo> history;
  int64_t base_seq = 0;  // highest base seq seen (0 when none)
  int64_t incr_seq = 0;  // highest incr seq seen (0 when none)

  // Text as Redis 7.0 writes it: the base line, then history lines, then incr lines, each
  // "file <name> seq <n> type <b|h|i>\n". A name holding a space, a quote, a backslash or a
  // byte that is not printable ASCII is written double-quoted with C-style escapes
  // ("\n", "\\", "\"", "\x07"), which ParseAofManifest reads back byte for byte.
  std::string Serialize() const;
};

// Parses manifest text the way Redis 7.0's aofLoadManifestFromFile does:
// - lines starting with '#' are comments;
// - every other line is whitespace-separated key/value pairs in any order (at least three
//   pairs), values optionally quoted ("..." with \n \r \t \b \a \xHH escapes, '...' with \'),
//   keys case-insensitive, unknown keys ignored (room for fields a later Redis adds);
// - `file` must be a bare file name (no '/' or '\'), `seq` a positive decimal number,
//   `type` starts with b, h or i.
// Errors carry a message naming the 1-based line number: a blank line or one missing
// file/seq/type, an unknown type, a second base, an incr seq not above the previous incr's,
// a line longer than 1023 bytes or without its final newline, and a manifest that names no
// base and no incr file. On error *out is left in an unspecified state.
Status ParseAofManifest(std::string_view text, AofManifest* out);

// File names (Redis 7.0's): "<appendfilename>.<seq>.base.rdb" (rdb_preamble) or
// "<appendfilename>.<seq>.base.aof", "<appendfilename>.<seq>.incr.aof",
// "<appendfilename>.manifest".
std::string AofBaseFileName(std::string_view appendfilename, int64_t seq, bool rdb_preamble);
std::string AofIncrFileName(std::string_view appendfilename, int64_t seq);
std::string AofManifestFileName(std::string_view appendfilename);
// Redis 7.0's temporary names: the manifest being written before its rename, and the incr
// file that collects writes while AOF is being turned on (before the first base exists).
std::string AofTempManifestFileName(std::string_view appendfilename);
std::string AofTempIncrFileName(std::string_view appendfilename);

// The manifest's quoting on its own: `name` as it appears after "file " in a manifest line.
std::string AofManifestQuoteName(std::string_view name);

}  // namespace ember::persistence
