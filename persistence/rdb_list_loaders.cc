// List loaders (rdb_collection_loaders.h).
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "persistence/rdb_collection_loaders.h"
#include "persistence/ziplist_reader.h"
#include "storage/value/list_value.h"
#include "storage/value/listpack.h"
#include "storage/value/number_format.h"

namespace ember::persistence {
namespace {

using storage::ListNode;
using storage::Listpack;
using storage::ListValue;

// Quicklist2 node containers (Redis's QUICKLIST_NODE_CONTAINER_*).
constexpr uint64_t kContainerPlain = 1;
constexpr uint64_t kContainerPacked = 2;

Status EmptyList(uint64_t at) { return Status::Error("empty list (Redis writes none)", at); }

void PushBack(ListValue& list, std::string_view element, const RdbLoadContext& context) {
  list.Push(ListValue::End::kBack, element, context.limits.list_max_listpack_size);
}

// Appends the elements of a validated ziplist blob.
Status PushZiplist(ListValue& list, std::string_view blob, const RdbLoadContext& context,
                   uint64_t at) {
  std::vector<ZiplistEntry> entries;
  std::string error;
  if (!DecodeZiplist(blob, &entries, &error)) return Status::Error("invalid ziplist: " + error, at);
  storage::NumberBuffer scratch;
  for (const ZiplistEntry& entry : entries) {
    const std::string_view text =
        entry.is_integer
            ? std::string_view(scratch.data, storage::FormatInt64(entry.integer, scratch.data))
            : entry.bytes;
    PushBack(list, text, context);
  }
  return Status::Ok();
}

Status Finish(std::unique_ptr<ListValue> list, uint64_t at, storage::Value* out) {
  if (list->Size() == 0) return EmptyList(at);
  *out = storage::Value::Box(std::move(list));
  return Status::Ok();
}

// An empty list taking the server's compress depth, as Redis's quicklistCreate does.
std::unique_ptr<ListValue> NewList(const RdbLoadContext& context) {
  auto list = std::make_unique<ListValue>();
  list->set_compress_depth(context.limits.list_compress_depth);
  return list;
}

}  // namespace

Status LoadList(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  uint64_t count = 0;
  Status s = input.ReadLength(&count);
  if (!s.ok()) return s;
  auto list = NewList(context);
  std::string element;
  for (uint64_t i = 0; i < count; ++i) {
    s = input.ReadString(&element);
    if (!s.ok()) return s;
    PushBack(*list, element, context);
  }
  return Finish(std::move(list), at, out);
}

Status LoadListZiplist(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  std::string blob;
  Status s = input.ReadString(&blob);
  if (!s.ok()) return s;
  auto list = NewList(context);
  s = PushZiplist(*list, blob, context, at);
  if (!s.ok()) return s;
  return Finish(std::move(list), at, out);
}

// Quicklist (14): nodes of ziplists. Quicklist2 (18, Redis 7.0's): nodes each a container
// (packed: a listpack, adopted as one node; plain: one element) and a blob. As in Redis,
// an empty node is skipped and only a list left empty is refused.
Status LoadListQuicklist(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  uint64_t nodes = 0;
  Status s = input.ReadLength(&nodes);
  if (!s.ok()) return s;
  auto list = NewList(context);
  std::string blob;
  for (uint64_t i = 0; i < nodes; ++i) {
    const uint64_t node_at = input.offset();
    s = input.ReadString(&blob);
    if (!s.ok()) return s;
    s = PushZiplist(*list, blob, context, node_at);
    if (!s.ok()) return s;
  }
  return Finish(std::move(list), at, out);
}

Status LoadListQuicklist2(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  uint64_t nodes = 0;
  Status s = input.ReadLength(&nodes);
  if (!s.ok()) return s;
  auto list = NewList(context);
  std::string blob;
  for (uint64_t i = 0; i < nodes; ++i) {
    const uint64_t node_at = input.offset();
    uint64_t container = 0;
    s = input.ReadLength(&container);
    if (!s.ok()) return s;
    if (container != kContainerPacked && container != kContainerPlain) {
      return Status::Error(fmt::format("invalid quicklist node container {}", container), node_at);
    }
    const uint64_t blob_at = input.offset();
    s = input.ReadString(&blob);
    if (!s.ok()) return s;
    if (blob.empty()) return Status::Error("empty quicklist node", blob_at);
    if (container == kContainerPlain) {
      PushBack(*list, blob, context);
      continue;
    }
    std::string error;
    std::optional<Listpack> listpack = Listpack::FromBytes(blob, &error);
    if (!listpack) return Status::Error("invalid list listpack: " + error, blob_at);
    list->AppendNode(ListNode::FromListpack(std::move(*listpack)));
  }
  return Finish(std::move(list), at, out);
}

}  // namespace ember::persistence
