#include "persistence/aof_base.h"

#include <fmt/format.h>
#include <unistd.h>

#include <array>

#include "persistence/aof_value_rewriters.h"
#include "persistence/rdb_save.h"

namespace ember::persistence {
namespace {

void AppendLength(std::string* out, char prefix, size_t n) {
  out->push_back(prefix);
  out->append(std::to_string(n));
  out->append("\r\n");
}

// Per non-empty database: SELECT, then for each key the commands its type's row writes
// (aof_value_rewriters.h) and PEXPIREAT for a TTL. Output goes to the sink in chunks so a
// large keyspace never sits in memory twice.
Status WriteRespBase(const storage::Keyspace& keyspace, std::span<const std::string> functions,
                     ByteSink* sink, AofBaseStats* stats) {
  constexpr size_t kChunk = 64 * 1024;
  std::string out;
  Status s;
  // The libraries first, as Redis's rewriteFunctions: keys never depend on them, but a
  // replayed FCALL in a later incr file does.
  for (const std::string& code : functions) {
    const std::array<std::string_view, 3> load = {"FUNCTION", "LOAD", code};
    AppendAofCommand(&out, load);
  }
  for (int i = 0; s.ok() && i < keyspace.database_count(); ++i) {
    const storage::Database& db = keyspace.db(i);
    if (db.size() == 0) continue;
    const std::string index = std::to_string(i);
    const std::array<std::string_view, 2> select = {"SELECT", index};
    AppendAofCommand(&out, select);
    db.ForEach([&](const storage::Entry& entry) {
      if (!s.ok()) return;
      const std::string_view key = entry.key();
      const storage::ValueRef value = entry.value();
      AofRewriteFn rewrite = FindAofRewriter(value.type());
      if (rewrite == nullptr) {
        s = Status::Error(fmt::format("cannot rewrite key '{}': type {} is not supported", key,
                                      storage::TypeName(value.type())));
        return;
      }
      rewrite(&out, key, value);
      if (const int64_t expire = db.GetExpire(&entry); expire >= 0) {
        const std::string when = std::to_string(expire);
        const std::array<std::string_view, 3> pexpireat = {"PEXPIREAT", key, when};
        AppendAofCommand(&out, pexpireat);
      }
      stats->keys++;
      if (out.size() >= kChunk) {
        s = sink->Write(out);
        stats->bytes += out.size();
        out.clear();
      }
    });
  }
  if (s.ok() && !out.empty()) {
    s = sink->Write(out);
    stats->bytes += out.size();
  }
  return s;
}

}  // namespace

void AppendAofCommand(std::string* out, std::span<const std::string_view> argv) {
  AppendLength(out, '*', argv.size());
  for (std::string_view arg : argv) {
    AppendLength(out, '$', arg.size());
    out->append(arg);
    out->append("\r\n");
  }
}

Status WriteAofBase(const storage::Keyspace& keyspace, ByteSink* sink, bool rdb,
                    RdbWriteOptions rdb_options, int64_t now_ms, AofBaseStats* stats) {
  AofBaseStats local;
  if (stats == nullptr) stats = &local;
  if (!rdb) return WriteRespBase(keyspace, rdb_options.function_libraries, sink, stats);
  rdb_options.aof_base = true;
  RdbSaveStats rdb_stats;
  Status s = WriteRdbSnapshot(keyspace, sink, rdb_options, now_ms / 1000, &rdb_stats);
  stats->keys = rdb_stats.keys;
  stats->bytes = rdb_stats.bytes;
  return s;
}

Status WriteAofBaseFile(const storage::Keyspace& keyspace, const std::string& path, bool rdb,
                        RdbWriteOptions rdb_options, int64_t now_ms, AofBaseStats* stats) {
  FileSink sink;
  Status s = sink.Open(path);
  if (s.ok()) s = WriteAofBase(keyspace, &sink, rdb, rdb_options, now_ms, stats);
  if (s.ok()) s = sink.Sync();
  if (s.ok()) s = sink.Close();
  if (!s.ok()) {
    sink.Close();
    ::unlink(path.c_str());
    return s.WithFile(path);
  }
  return s;
}

}  // namespace ember::persistence
