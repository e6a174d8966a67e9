// AofCheck: redis-check-aof for Ember (`ember-server --check-aof PATH`). Validates an
// append-only file without loading it anywhere: the RDB part, if any, with CheckRdb; then
// every RESP command, with MULTI/EXEC pairing. A multi-part AOF is checked file by file in
// manifest order (base, then incrs), as Redis loads it.
//
// Read-only: nothing is truncated or fixed here.
// Threading: any thread; touches only the files.
#pragma once

#include <cstdint>
#include <string>

#include "persistence/byte_io.h"
#include "persistence/status.h"

namespace ember::persistence {

struct AofCheckFileResult {
  std::string path;
  uint64_t size = 0;
  uint64_t valid_up_to = 0;   // bytes of the file that are good (a prefix the loader accepts)
  uint64_t commands = 0;      // complete commands in those bytes
  bool rdb_preamble = false;  // started with an RDB (base file or legacy preamble)
  bool truncated = false;     // ends inside a command, or inside MULTI without EXEC
  Status status;              // first error (ok when the whole file is valid)
  // redis-check-aof's ok_up_to_line: 1 + the protocol lines (each "*n", "$len" and bulk
  // line) before valid_up_to; annotations and the RDB part are not counted.
  uint64_t ok_up_to_line = 1;
};

// Checks one AOF file: the optional RDB part (validated with CheckRdb; the RESP part
// continues right after the RDB trailer), then RESP commands. An empty file is valid.
// - The input ends inside a command: truncated, valid_up_to at that command's start.
// - A MULTI without its EXEC at the end: truncated, valid_up_to at the MULTI's start (the
//   loader drops the unfinished transaction, as redis-check-aof reports).
// - A nested MULTI (valid_up_to at the outer MULTI) or an EXEC without MULTI (valid_up_to
//   at the EXEC), malformed bytes, or a bad RDB part (valid_up_to 0): invalid, not truncated.
// status carries the file name and the offset of the problem.
AofCheckFileResult CheckAofFile(const std::string& path);

// The same on a source holding `size` bytes in all, read from its current offset; the caller
// says whether it starts with an RDB (LooksLikeRdb on its first bytes). result->path is left
// as it is.
void CheckAofSource(ByteSource* source, uint64_t size, bool rdb_preamble,
                    AofCheckFileResult* result);

// `path` is a directory holding a manifest (found by name "*.manifest", ignoring Redis's
// "temp-*" ones: exactly one), a manifest file (named *.manifest, or whose first
// non-comment line starts with "file"), or a single AOF file (legacy appendonly.aof, plain
// or with an RDB preamble). Checks every file the manifest lists (base then incrs; history
// files are not loaded, so not checked) and renders a report like redis-check-aof 7.0's:
// for each non-empty file an "AOF analyzed: filename=..., size=..., ok_up_to=...,
// ok_up_to_line=..., diff=..." line, preceded by the error if any, then "... is valid" or
// "... is not valid" (saying so when a truncated file is not the last one, which the loader
// refuses even with aof-load-truncated). Returns ok only when every file is valid; otherwise
// the first error, with its file.
Status CheckAofPath(const std::string& path, std::string* report);

}  // namespace ember::persistence
