#include "persistence/rdb_save.h"

#include <fmt/format.h>
#include <unistd.h>

#include "persistence/file_sync.h"
#include "persistence/rdb_format.h"
#include "protocol/redis_version.h"

namespace ember::persistence {
namespace {

Status WriteAuxFields(RdbWriter& writer, const storage::Keyspace& keyspace, int64_t now,
                      const RdbWriteOptions& options) {
  Status s = writer.WriteAux("redis-ver", protocol::kCompatibleRedisVersion);
  if (s.ok()) s = writer.WriteAux("redis-bits", "64");
  if (s.ok()) s = writer.WriteAux("ctime", std::to_string(now));
  if (s.ok()) s = writer.WriteAux("used-mem", std::to_string(keyspace.used_memory()));
  if (options.replication.has_value()) {
    const RdbWriteOptions::ReplicationInfo& info = *options.replication;
    if (s.ok()) s = writer.WriteAux("repl-stream-db", std::to_string(info.stream_db));
    if (s.ok()) s = writer.WriteAux("repl-id", info.replid);
    if (s.ok()) s = writer.WriteAux("repl-offset", std::to_string(info.offset));
  }
  if (s.ok()) s = writer.WriteAux("aof-base", options.aof_base ? "1" : "0");
  return s;
}

Status WriteDatabase(RdbWriter& writer, const storage::Database& db, RdbSaveStats* stats) {
  Status s = writer.WriteSelectDb(db.index());
  if (s.ok()) s = writer.WriteResizeDb(db.size(), db.expires_size());
  if (!s.ok()) return s;
  // ForEach cannot stop early; after the first failure the rest is skipped cheaply.
  db.ForEach([&](const storage::Entry& entry) {
    if (!s.ok()) return;
    s = writer.WriteEntry(entry.key(), entry.value(), db.GetExpire(&entry));
    stats->keys++;
  });
  return s;
}

}  // namespace

Status WriteRdbPreamble(RdbWriter& writer, const storage::Keyspace& keyspace,
                        const RdbWriteOptions& options, int64_t now_unix_seconds) {
  Status s = writer.WriteHeader();
  if (s.ok()) s = WriteAuxFields(writer, keyspace, now_unix_seconds, options);
  for (const std::string& code : options.function_libraries) {
    if (s.ok()) s = writer.WriteFunction(code);
  }
  return s;
}

Status WriteRdbSnapshot(const storage::Keyspace& keyspace, ByteSink* sink,
                        const RdbWriteOptions& options, int64_t now_unix_seconds,
                        RdbSaveStats* stats) {
  RdbSaveStats local;
  if (stats == nullptr) stats = &local;
  RdbWriter writer(sink, options);
  Status s = WriteRdbPreamble(writer, keyspace, options, now_unix_seconds);
  for (int i = 0; s.ok() && i < keyspace.database_count(); ++i) {
    const storage::Database& db = keyspace.db(i);
    if (db.size() > 0) s = WriteDatabase(writer, db, stats);
  }
  if (s.ok()) s = writer.Finish();
  stats->bytes = writer.bytes_written();
  return s;
}

Status SaveRdbFile(const storage::Keyspace& keyspace, const std::string& path,
                   const RdbWriteOptions& options, int64_t now_unix_seconds, RdbSaveStats* stats) {
  const std::string temp = TempPathFor(path, "temp-", static_cast<long>(::getpid()), ".rdb");
  FileSink sink;
  Status s = sink.Open(temp);
  if (s.ok()) s = WriteRdbSnapshot(keyspace, &sink, options, now_unix_seconds, stats);
  if (s.ok()) s = sink.Sync();
  if (s.ok()) s = sink.Close();
  if (!s.ok()) {
    sink.Close();
    ::unlink(temp.c_str());
    return s.WithFile(temp);
  }
  return CommitFile(temp, path);
}

}  // namespace ember::persistence
