#include "persistence/aof_value_rewriters.h"

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "persistence/aof_base.h"
#include "storage/value/hash_value.h"
#include "storage/value/list_value.h"
#include "storage/value/number_format.h"
#include "storage/value/set_value.h"
#include "storage/value/stream_value.h"
#include "storage/value/zset_value.h"

namespace ember::persistence {
namespace {

using storage::kNotSupportedYet;
using storage::TypeRow;
using storage::ValueType;

void RewriteString(std::string* out, std::string_view key, storage::ValueRef value) {
  storage::NumberBuffer scratch;
  const std::array<std::string_view, 3> set = {"SET", key, value.View(scratch)};
  AppendAofCommand(out, set);
}

// Elements per command in a rewrite, as Redis's AOF_REWRITE_ITEMS_PER_CMD: a big collection
// becomes several commands, so replaying never builds one huge argument vector.
constexpr size_t kItemsPerCommand = 64;

// Collects a command's arguments (owned: the views a collection hands out may point into
// a scratch buffer) and flushes them every kItemsPerCommand elements.
class BatchedCommand {
 public:
  BatchedCommand(std::string* out, std::string_view name, std::string_view key)
      : out_(out), name_(name), key_(key) {}
  // Adds one element (a member, or a field and its value).
  template <class... Args>
  void Add(Args... args) {
    if (args_.empty()) {
      args_.emplace_back(name_);
      args_.emplace_back(key_);
    }
    (args_.emplace_back(args), ...);
    if (++items_ == kItemsPerCommand) Flush();
  }
  void Flush() {
    if (items_ == 0) return;
    std::vector<std::string_view> views(args_.begin(), args_.end());
    AppendAofCommand(out_, views);
    args_.clear();
    items_ = 0;
  }

 private:
  std::string* out_;
  std::string_view name_;
  std::string_view key_;
  std::vector<std::string> args_;
  size_t items_ = 0;
};

// RPUSH key element..., as Redis's rewriteListObject.
void RewriteList(std::string* out, std::string_view key, storage::ValueRef value) {
  BatchedCommand rpush(out, "RPUSH", key);
  const storage::CollectionView<storage::ListValue> list = value.Read<storage::ListValue>();
  list->Visit(0, list->Size(), false, [&rpush](const storage::ListValue::Element& element) {
    storage::NumberBuffer scratch;
    rpush.Add(element.View(scratch));
    return true;
  });
  rpush.Flush();
}

// SADD key member..., as Redis's rewriteSetObject.
void RewriteSet(std::string* out, std::string_view key, storage::ValueRef value) {
  BatchedCommand sadd(out, "SADD", key);
  value.Read<storage::SetValue>()->ForEach([&sadd](std::string_view member) { sadd.Add(member); });
  sadd.Flush();
}

// HMSET key field value..., as Redis 7.0's rewriteHashObject writes it (HMSET, not HSET).
void RewriteHash(std::string* out, std::string_view key, storage::ValueRef value) {
  BatchedCommand hmset(out, "HMSET", key);
  value.Read<storage::HashValue>()->ForEach(
      [&hmset](std::string_view field, std::string_view field_value) {
        hmset.Add(field, field_value);
      });
  hmset.Flush();
}

// ZADD key score member..., as Redis 7.0's rewriteSortedSetObject, ascending. Scores are
// written as its rioWriteBulkDouble writes them, "%.17g" ("inf", "-inf", "-0", "1.5",
// "0.10000000000000001"), not as d2string: the text ZADD reads back to the same double.
void RewriteZSet(std::string* out, std::string_view key, storage::ValueRef value) {
  BatchedCommand zadd(out, "ZADD", key);
  const storage::CollectionView<storage::SortedSetValue> set =
      value.Read<storage::SortedSetValue>();
  if (set->Size() == 0) return;
  set->Visit(0, set->Size() - 1, storage::ZOrder::kAscending,
             [&zadd](std::string_view member, double score) {
               char text[32];
               const int length = std::snprintf(text, sizeof(text), "%.17g", score);
               zadd.Add(std::string_view(text, static_cast<size_t>(length)), member);
               return true;
             });
  zadd.Flush();
}

// As Redis 7.0's rewriteStreamObject: one XADD per live entry with its ID (an empty stream:
// XADD key MAXLEN 0 0-1 x y, which leaves the key and nothing in it), then XSETID with the
// last ID, entries added and max deleted ID, so the metadata comes back exactly.
void RewriteStream(std::string* out, std::string_view key, storage::ValueRef value) {
  const storage::CollectionView<storage::StreamValue> stream = value.Read<storage::StreamValue>();
  if (stream->Size() == 0) {
    const std::array<std::string_view, 7> create = {"XADD", key, "MAXLEN", "0", "0-1", "x", "y"};
    AppendAofCommand(out, create);
  }
  std::vector<std::string_view> args;
  stream->Range(storage::StreamId::Min(), storage::StreamId::Max(), false, 0,
                [&](const storage::StreamValue::EntryView& entry) {
                  const std::string id = storage::FormatStreamId(entry.id);
                  args.assign({"XADD", key, id});
                  for (const storage::StreamValue::Field& field : entry.fields) {
                    args.push_back(field.name);
                    args.push_back(field.value);
                  }
                  AppendAofCommand(out, args);
                  return true;
                });
  const std::string last_id = storage::FormatStreamId(stream->last_id());
  const std::string entries_added = std::to_string(stream->entries_added());
  const std::string max_deleted = storage::FormatStreamId(stream->max_deleted_id());
  const std::array<std::string_view, 7> setid = {
      "XSETID", key, last_id, "ENTRIESADDED", entries_added, "MAXDELETEDID", max_deleted};
  AppendAofCommand(out, setid);
  // Each group: XGROUP CREATE at its position, then per consumer its pending entries as
  // XCLAIM ... FORCE (or XGROUP CREATECONSUMER for one with none).
  for (const auto& [group_name, group] : stream->groups().groups()) {
    const std::string group_last = storage::FormatStreamId(group.last_id);
    const std::string entries_read = std::to_string(group.entries_read);
    const std::array<std::string_view, 7> create = {
        "XGROUP", "CREATE", key, group_name, group_last, "ENTRIESREAD", entries_read};
    AppendAofCommand(out, create);
    for (const auto& [consumer_name, consumer] : group.consumers) {
      if (consumer.pending.empty()) {
        const std::array<std::string_view, 5> empty = {"XGROUP", "CREATECONSUMER", key, group_name,
                                                       consumer_name};
        AppendAofCommand(out, empty);
        continue;
      }
      for (storage::StreamId id : consumer.pending) {
        const storage::StreamPending& pending = group.pending.find(id)->second;
        const std::string id_text = storage::FormatStreamId(id);
        const std::string time = std::to_string(pending.delivery_time);
        const std::string count = std::to_string(pending.delivery_count);
        const std::array<std::string_view, 12> claim = {
            "XCLAIM", key,  group_name,   consumer_name, "0",      id_text,
            "TIME",   time, "RETRYCOUNT", count,         "JUSTID", "FORCE"};
        AppendAofCommand(out, claim);
      }
    }
  }
}

constexpr auto kRewriters = std::to_array<TypeRow<AofRewriteFn>>({
    {ValueType::kString, RewriteString},
    {ValueType::kList, RewriteList},
    {ValueType::kSet, RewriteSet},
    {ValueType::kZSet, RewriteZSet},
    {ValueType::kHash, RewriteHash},
    {ValueType::kStream, RewriteStream},
});

}  // namespace

AofRewriteFn FindAofRewriter(storage::ValueType type) {
  const size_t index = storage::TypeIndex(type);
  if (index >= kRewriters.size() || kRewriters[index].type != type) return nullptr;
  return kRewriters[index].handler;
}

std::span<const TypeRow<AofRewriteFn>> AofValueRewriters() { return kRewriters; }

}  // namespace ember::persistence
