// Writing AOF content: one command in RESP (the unit every AOF file is made of), and a
// whole keyspace as a base file — RDB (aof-use-rdb-preamble yes, Redis's default) or RESP
// commands that rebuild it (SELECT, each value's commands from its type's row in
// aof_value_rewriters.h, PEXPIREAT), as Redis's rewrite emits them.
//
// Threading: reads the keyspace without locks: engine thread, or a forked rewrite child
// that owns its copy-on-write image.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "persistence/byte_io.h"
#include "persistence/rdb_writer.h"
#include "persistence/status.h"
#include "storage/keyspace/keyspace.h"

namespace ember::persistence {

// Appends "*<n>\r\n" and "$<len>\r\n<arg>\r\n" per argument to `out`.
void AppendAofCommand(std::string* out, std::span<const std::string_view> argv);

struct AofBaseStats {
  uint64_t keys = 0;
  uint64_t bytes = 0;
};

// Writes `keyspace` to `sink` as a base file. `rdb_options` apply when `rdb` is true (the
// aof-base AUX field is set), except its function libraries, which a RESP base holds too
// (one FUNCTION LOAD each, before the keys). Does not flush or sync the sink.
Status WriteAofBase(const storage::Keyspace& keyspace, ByteSink* sink, bool rdb,
                    RdbWriteOptions rdb_options, int64_t now_ms, AofBaseStats* stats);

// Writes a base file to `path` (created or truncated) and fsyncs it; on failure the file is
// removed.
Status WriteAofBaseFile(const storage::Keyspace& keyspace, const std::string& path, bool rdb,
                        RdbWriteOptions rdb_options, int64_t now_ms, AofBaseStats* stats);

}  // namespace ember::persistence
