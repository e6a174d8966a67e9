// Hash loaders (rdb_collection_loaders.h).
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "persistence/rdb_blob_readers.h"
#include "persistence/rdb_collection_loaders.h"
#include "persistence/zipmap_reader.h"
#include "storage/value/hash_value.h"
#include "storage/value/listpack.h"
#include "storage/value/number_format.h"

namespace ember::persistence {
namespace {

using storage::HashValue;
using storage::Listpack;

uint64_t Limit(int64_t limit) { return static_cast<uint64_t>(std::max<int64_t>(limit, 0)); }

Status EmptyHash(uint64_t at) { return Status::Error("empty hash (Redis writes none)", at); }

// Fields seen so far, to refuse a blob that repeats one (HashValue requires distinct fields).
class FieldSet {
 public:
  explicit FieldSet(size_t expected) { seen_.reserve(expected); }
  bool Insert(std::string field) { return seen_.insert(std::move(field)).second; }

 private:
  std::unordered_set<std::string> seen_;
};

// Checks the entries of a hash's listpack (or of the ziplist it was converted from, `form`):
// some, an even number, distinct fields.
Status CheckHashListpack(const Listpack& pairs, std::string_view form, uint64_t at) {
  if (pairs.empty()) return EmptyHash(at);
  if (pairs.size() % 2 != 0) {
    return Status::Error(
        fmt::format("hash {} has an odd number of entries ({})", form, pairs.size()), at);
  }
  FieldSet fields(pairs.size() / 2);
  storage::NumberBuffer scratch;
  size_t index = 0;
  for (size_t offset = pairs.First(); offset != Listpack::kNoEntry;
       offset = pairs.Next(pairs.Next(offset)), ++index) {
    if (!fields.Insert(std::string(pairs.Get(offset).View(scratch)))) {
      return Status::Error(fmt::format("duplicate hash field (pair {})", index), at);
    }
  }
  return Status::Ok();
}

Status BoxHash(Listpack pairs, const RdbLoadContext& context, storage::Value* out) {
  *out = storage::Value::Box(HashValue::FromListpack(std::move(pairs), context.limits));
  return Status::Ok();
}

}  // namespace

Status LoadHash(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  uint64_t count = 0;
  Status s = input.ReadLength(&count);
  if (!s.ok()) return s;
  if (count == 0) return EmptyHash(at);
  auto hash = std::make_unique<HashValue>();
  // Redis starts a hash with more fields than a listpack may hold as a table at once.
  if (count > Limit(context.limits.hash_max_listpack_entries)) hash->ConvertToTable();
  std::string field, value;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t field_at = input.offset();
    s = input.ReadString(&field);
    if (s.ok()) s = input.ReadString(&value);
    if (!s.ok()) return s;
    if (!hash->Set(field, value, context.limits)) {
      return Status::Error(fmt::format("duplicate hash field (pair {})", i), field_at);
    }
  }
  *out = storage::Value::Box(std::move(hash));
  return Status::Ok();
}

Status LoadHashListpack(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  Listpack pairs;
  Status s = ReadListpackBlob(input, "hash", &pairs);
  if (s.ok()) s = CheckHashListpack(pairs, "listpack", at);
  if (!s.ok()) return s;
  return BoxHash(std::move(pairs), context, out);
}

Status LoadHashZiplist(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  Listpack pairs;
  Status s = ReadZiplistAsListpack(input, "hash", &pairs);
  if (s.ok()) s = CheckHashListpack(pairs, "ziplist", at);
  if (!s.ok()) return s;
  return BoxHash(std::move(pairs), context, out);
}

Status LoadHashZipmap(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  std::string blob;
  Status s = input.ReadString(&blob);
  if (!s.ok()) return s;
  std::string error;
  std::vector<std::pair<std::string_view, std::string_view>> entries;
  if (!DecodeZipmap(blob, &entries, &error)) {
    return Status::Error("invalid hash zipmap: " + error, at);
  }
  FieldSet fields(entries.size());
  Listpack pairs;
  size_t longest = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!fields.Insert(std::string(entries[i].first))) {
      return Status::Error(fmt::format("duplicate hash field (pair {})", i), at);
    }
    longest = std::max({longest, entries[i].first.size(), entries[i].second.size()});
    pairs.Append(entries[i].first);
    pairs.Append(entries[i].second);
  }
  std::unique_ptr<HashValue> hash = HashValue::FromListpack(std::move(pairs), context.limits);
  // Unlike the other blobs, a zipmap is also converted for a field or value longer than
  // hash-max-listpack-value, as Redis does (it walks every entry anyway).
  if (hash->encoding() == storage::CollectionEncoding::kListpack &&
      longest > Limit(context.limits.hash_max_listpack_value)) {
    hash->ConvertToTable();
  }
  *out = storage::Value::Box(std::move(hash));
  return Status::Ok();
}

}  // namespace ember::persistence
