// Dumping a whole Keyspace as an RDB snapshot: to any ByteSink, or to a file replaced
// atomically (temp-<pid>.rdb in the same directory, fsync, rename, fsync the directory), so
// a failed or killed save never damages the previous dump.
//
// Threading: reads the keyspace without locks, so call it on the engine thread (SAVE) or in
// a forked child that owns its copy-on-write image (BGSAVE with snapshot-fork). The forkless
// BGSAVE writes while the keyspace changes: rdb_incremental_save.h.
#pragma once

#include <cstdint>
#include <string>

#include "persistence/byte_io.h"
#include "persistence/rdb_writer.h"
#include "persistence/status.h"
#include "storage/keyspace/keyspace.h"

namespace ember::persistence {

struct RdbSaveStats {
  uint64_t keys = 0;
  uint64_t bytes = 0;
};

// What every snapshot starts with: the header, the AUX fields (`now_unix_seconds` as the
// ctime field) and the function libraries of `options`.
Status WriteRdbPreamble(RdbWriter& writer, const storage::Keyspace& keyspace,
                        const RdbWriteOptions& options, int64_t now_unix_seconds);

// AUX fields, the function libraries of `options`, SELECTDB/RESIZEDB per non-empty
// database, every key (with its TTL), EOF and checksum. `now_unix_seconds` becomes the
// ctime field.
Status WriteRdbSnapshot(const storage::Keyspace& keyspace, ByteSink* sink,
                        const RdbWriteOptions& options, int64_t now_unix_seconds,
                        RdbSaveStats* stats);

// Writes the snapshot to `path` atomically. On failure the temporary file is removed.
Status SaveRdbFile(const storage::Keyspace& keyspace, const std::string& path,
                   const RdbWriteOptions& options, int64_t now_unix_seconds, RdbSaveStats* stats);

}  // namespace ember::persistence
