#include "storage/ops/stream_ops.h"

#include <limits>

#include "storage/ops/stream_lookup.h"

namespace ember::storage {
namespace {

int64_t ApplyTrim(StreamValue& stream, const StreamTrim& trim) {
  switch (trim.strategy) {
    case StreamTrim::Strategy::kMaxLen:
      return stream.TrimToLength(trim.max_length, trim.approx, trim.limit);
    case StreamTrim::Strategy::kMinId:
      return stream.TrimBefore(trim.min_id, trim.approx, trim.limit);
    case StreamTrim::Strategy::kNone:
      break;
  }
  return 0;
}

// The ID XADD gives the new entry (Redis's streamAppendItem and streamNextID), or nullopt
// when an "<ms>-*" ID cannot take a sequence after the last one.
std::optional<StreamId> NextId(const StreamValue& stream, const XAddRequest& request,
                               int64_t now_ms) {
  const StreamId last = stream.last_id();
  if (request.id_given) {
    if (request.seq_given) return request.id;
    if (last.ms == request.id.ms) {
      if (last.seq == std::numeric_limits<uint64_t>::max()) return std::nullopt;
      return StreamId{last.ms, last.seq + 1};
    }
    return request.id;
  }
  const auto ms = static_cast<uint64_t>(now_ms);
  if (ms > last.ms) return StreamId{ms, 0};
  StreamId next = last;
  next.Increment();
  return next;
}

}  // namespace

std::string ExactTrimArgument(const StreamValue& stream, const StreamTrim& trim) {
  if (trim.strategy == StreamTrim::Strategy::kMaxLen) return std::to_string(stream.Size());
  // The first entry, tombstones included (Redis's streamGetEdgeID with them); Max() when
  // there is none, as Redis gives.
  if (stream.nodes().empty()) return FormatStreamId(StreamId::Max());
  return FormatStreamId(stream.FirstEntryId());
}

OpResult<XAddResult> OpXAdd(Database& db, std::string_view key, const XAddRequest& request,
                            int64_t now_ms) {
  XAddResult result;
  size_t total = 0;
  for (std::string_view element : request.field_values) total += element.size();
  OpResult<Entry*> existing = db.FindOfType(key, ValueType::kStream, now_ms);
  if (!existing.ok() && existing.status() != OpStatus::kKeyNotFound) return existing.status();
  if (existing.status() == OpStatus::kKeyNotFound && request.no_mkstream) {
    result.outcome = XAddResult::Outcome::kNoStream;
    return result;
  }
  if (existing.ok()) {
    const CollectionView<StreamValue> view = (*existing)->value().Read<StreamValue>();
    const StreamValue& current = *view;
    if (current.last_id() == StreamId::Max()) {
      result.outcome = XAddResult::Outcome::kExhausted;
      return result;
    }
    const std::optional<StreamId> id = NextId(current, request, now_ms);
    if (!id || *id <= current.last_id()) {
      result.outcome = id ? XAddResult::Outcome::kIdTooSmall : XAddResult::Outcome::kTooLarge;
      return result;
    }
  }
  // Checked after the ID, as Redis does, and before a new stream would be created empty.
  if (total > StreamValue::kMaxEntryBytes) {
    result.outcome = XAddResult::Outcome::kTooLarge;
    return result;
  }
  // The entry found above is mutated as it is; only a missing key takes a second lookup.
  OpResult<ValueMutation> mutation = existing.ok()
                                         ? OpResult<ValueMutation>(db.Mutate(*existing))
                                         : db.FindOrCreate(key, ValueType::kStream, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& stream = mutation->As<StreamValue>();
  const std::optional<StreamId> id = NextId(stream, request, now_ms);
  result.id = *id;
  const EncodingLimits& limits = db.encoding_limits();
  stream.Append(*id, request.field_values,
                {.max_bytes = static_cast<size_t>(limits.stream_node_max_bytes),
                 .max_entries = limits.stream_node_max_entries});
  result.trimmed = ApplyTrim(stream, request.trim);
  if (request.trim.approx) result.exact_trim_arg = ExactTrimArgument(stream, request.trim);
  return result;
}

OpResult<int64_t> OpXLen(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<const StreamValue*> stream = FindStreamForRead(db, key, now_ms);
  if (!stream.ok()) return stream.status();
  return *stream == nullptr ? int64_t{0} : static_cast<int64_t>((*stream)->Size());
}

OpResult<std::vector<StreamEntry>> OpXRange(Database& db, std::string_view key, StreamId start,
                                            StreamId end, bool reverse, size_t count,
                                            int64_t now_ms) {
  OpResult<const StreamValue*> stream = FindStreamForRead(db, key, now_ms);
  if (!stream.ok()) return stream.status();
  if (*stream == nullptr) return OpStatus::kKeyNotFound;
  return CopyEntries(**stream, start, end, reverse, count);
}

OpResult<StreamInfo> OpXInfoStream(Database& db, std::string_view key, bool full, size_t full_count,
                                   int64_t now_ms) {
  OpResult<const StreamValue*> found = FindStreamForRead(db, key, now_ms);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return OpStatus::kKeyNotFound;
  const StreamValue& stream = **found;
  StreamInfo info;
  info.length = stream.Size();
  info.nodes = stream.nodes().size();
  info.last_id = stream.last_id();
  info.max_deleted_id = stream.max_deleted_id();
  info.entries_added = stream.entries_added();
  info.first_id = stream.first_id();
  if (full) {
    info.entries = CopyEntries(stream, StreamId::Min(), StreamId::Max(), false, full_count);
    return info;
  }
  std::vector<StreamEntry> first = CopyEntries(stream, StreamId::Min(), StreamId::Max(), false, 1);
  if (!first.empty()) info.first_entry = std::move(first.front());
  std::vector<StreamEntry> last = CopyEntries(stream, StreamId::Min(), StreamId::Max(), true, 1);
  if (!last.empty()) info.last_entry = std::move(last.front());
  return info;
}

OpResult<int64_t> OpXDel(Database& db, std::string_view key, std::span<const StreamId> ids,
                         int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateStream(db, key, now_ms);
  if (mutation.status() == OpStatus::kKeyNotFound) return int64_t{0};
  if (!mutation.ok()) return mutation.status();
  auto& stream = mutation->As<StreamValue>();
  int64_t deleted = 0;
  for (StreamId id : ids) {
    if (!stream.Delete(id)) continue;
    if (id > stream.max_deleted_id()) stream.set_max_deleted_id(id);
    ++deleted;
  }
  if (deleted == 0) mutation->MarkUnchanged();
  return deleted;
}

OpResult<XTrimResult> OpXTrim(Database& db, std::string_view key, const StreamTrim& trim,
                              int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateStream(db, key, now_ms);
  if (mutation.status() == OpStatus::kKeyNotFound) return XTrimResult{};
  if (!mutation.ok()) return mutation.status();
  auto& stream = mutation->As<StreamValue>();
  XTrimResult result;
  result.trimmed = ApplyTrim(stream, trim);
  if (result.trimmed == 0) {
    mutation->MarkUnchanged();
  } else if (trim.approx) {
    result.exact_trim_arg = ExactTrimArgument(stream, trim);
  }
  return result;
}

OpResult<XSetIdOutcome> OpXSetId(Database& db, std::string_view key, const XSetIdRequest& request,
                                 int64_t now_ms) {
  OpResult<ValueMutation> mutation = MutateStream(db, key, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& stream = mutation->As<StreamValue>();
  if (stream.Size() > 0) {
    if (request.last_id < *stream.LastLiveId()) {
      mutation->MarkUnchanged();
      return XSetIdOutcome::kSmallerThanTop;
    }
    if (request.entries_added && stream.Size() > *request.entries_added) {
      mutation->MarkUnchanged();
      return XSetIdOutcome::kEntriesAddedTooSmall;
    }
  }
  stream.set_last_id(request.last_id);
  if (request.entries_added) stream.set_entries_added(*request.entries_added);
  if (request.max_deleted_id) stream.set_max_deleted_id(*request.max_deleted_id);
  return XSetIdOutcome::kSet;
}

}  // namespace ember::storage
