#include "persistence/rdb_blob_readers.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "persistence/ziplist_reader.h"

namespace ember::persistence {

Status ReadListpackBlob(RdbInput& input, std::string_view what, storage::Listpack* out) {
  const uint64_t at = input.offset();
  std::string blob;
  Status s = input.ReadString(&blob);
  if (!s.ok()) return s;
  std::string error;
  std::optional<storage::Listpack> listpack = storage::Listpack::FromBytes(blob, &error);
  if (!listpack) return Status::Error(fmt::format("invalid {} listpack: {}", what, error), at);
  *out = std::move(*listpack);
  return Status::Ok();
}

Status ReadZiplistAsListpack(RdbInput& input, std::string_view what, storage::Listpack* out) {
  const uint64_t at = input.offset();
  std::string blob;
  Status s = input.ReadString(&blob);
  if (!s.ok()) return s;
  std::string error;
  std::vector<ZiplistEntry> entries;
  if (!DecodeZiplist(blob, &entries, &error)) {
    return Status::Error(fmt::format("invalid {} ziplist: {}", what, error), at);
  }
  storage::Listpack listpack;
  for (const ZiplistEntry& e : entries) {
    if (e.is_integer) {
      listpack.AppendInteger(e.integer);
    } else {
      listpack.Append(e.bytes);
    }
  }
  *out = std::move(listpack);
  return Status::Ok();
}

}  // namespace ember::persistence
