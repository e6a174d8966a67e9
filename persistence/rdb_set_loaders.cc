// Set loaders (rdb_collection_loaders.h).
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "persistence/rdb_blob_readers.h"
#include "persistence/rdb_collection_loaders.h"
#include "storage/value/intset.h"
#include "storage/value/listpack.h"
#include "storage/value/set_value.h"

namespace ember::persistence {
namespace {

using storage::Intset;
using storage::Listpack;
using storage::SetValue;

uint64_t Limit(int64_t limit) { return static_cast<uint64_t>(std::max<int64_t>(limit, 0)); }

Status EmptySet(uint64_t at) { return Status::Error("empty set (Redis writes none)", at); }

Status DuplicateMember(uint64_t index, uint64_t at) {
  return Status::Error(fmt::format("duplicate set member (member {})", index), at);
}

}  // namespace

Status LoadSet(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  uint64_t count = 0;
  Status s = input.ReadLength(&count);
  if (!s.ok()) return s;
  if (count == 0) return EmptySet(at);
  auto set = std::make_unique<SetValue>();
  // Redis starts a set with more members than an intset may hold as a table at once.
  if (count > Limit(context.limits.set_max_intset_entries)) set->ConvertToTable();
  std::string member;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t member_at = input.offset();
    s = input.ReadString(&member);
    if (!s.ok()) return s;
    if (!set->Add(member, context.limits)) return DuplicateMember(i, member_at);
  }
  *out = storage::Value::Box(std::move(set));
  return Status::Ok();
}

Status LoadSetIntset(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  std::string blob;
  Status s = input.ReadString(&blob);
  if (!s.ok()) return s;
  std::string error;
  std::optional<Intset> members = Intset::FromBytes(blob, &error);
  if (!members) return Status::Error("invalid intset: " + error, at);
  if (members->size() == 0) return EmptySet(at);
  *out = storage::Value::Box(SetValue::FromIntset(std::move(*members), context.limits));
  return Status::Ok();
}

Status LoadSetListpack(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  Listpack members;
  Status s = ReadListpackBlob(input, "set", &members);
  if (!s.ok()) return s;
  if (members.empty()) return EmptySet(at);
  auto set = std::make_unique<SetValue>();
  if (members.size() > Limit(context.limits.set_max_intset_entries)) set->ConvertToTable();
  storage::NumberBuffer scratch;
  uint64_t index = 0;
  for (size_t offset = members.First(); offset != Listpack::kNoEntry;
       offset = members.Next(offset), ++index) {
    if (!set->Add(members.Get(offset).View(scratch), context.limits)) {
      return DuplicateMember(index, at);
    }
  }
  *out = storage::Value::Box(std::move(set));
  return Status::Ok();
}

}  // namespace ember::persistence
