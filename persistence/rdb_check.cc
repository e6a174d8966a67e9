#include "persistence/rdb_check.h"

#include <fmt/format.h>

#include "persistence/rdb_reader.h"

namespace ember::persistence {

Status CheckRdb(ByteSource* source, RdbCheckReport* report) {
  RdbReader reader(source);
  Status s = reader.ReadHeader();
  report->version = reader.version();
  RdbEntry entry;
  bool done = false;
  while (s.ok() && !done) {
    s = reader.Next(&entry, &done);
    if (!s.ok() || done) break;
    report->keys++;
    report->keys_per_db[entry.db]++;
    if (entry.expire_at_ms >= 0) {
      report->expires++;
      report->expires_per_db[entry.db]++;
    }
  }
  report->checksum_verified = reader.checksum_verified();
  report->bytes = source->offset();
  return s;
}

Status CheckRdbFile(const std::string& path, std::string* text) {
  FileSource source;
  Status s = source.Open(path);
  if (!s.ok()) {
    *text = fmt::format("[check-rdb] cannot read {}\n", s.ToString());
    return s;
  }
  RdbCheckReport report;
  *text = fmt::format("[check-rdb] checking RDB file {} ({} bytes)\n", path, source.size());
  s = CheckRdb(&source, &report);
  s.WithFile(path);
  if (report.version > 0) *text += fmt::format("[check-rdb] RDB version {}\n", report.version);
  for (const auto& [db, keys] : report.keys_per_db) {
    *text +=
        fmt::format("[check-rdb] db {}: keys={} expires={}\n", db, keys, report.expires_per_db[db]);
  }
  *text += fmt::format("[check-rdb] keys read: {}, with expire: {}\n", report.keys, report.expires);
  if (!s.ok()) {
    *text += fmt::format("[check-rdb] error at offset {}: {}\n", s.offset(), s.message());
    *text += "[check-rdb] RDB is NOT valid\n";
    return s;
  }
  *text += report.checksum_verified ? "[check-rdb] checksum OK\n"
                                    : "[check-rdb] no checksum in the file (not verified)\n";
  *text += "[check-rdb] RDB looks OK\n";
  return s;
}

}  // namespace ember::persistence
