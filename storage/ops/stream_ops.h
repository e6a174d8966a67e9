// Stream operations: the keyspace work behind XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM and
// XSETID, as Redis 7.0's t_stream.c does it. Each Op looks the key up with lazy expiry at
// `now_ms` and reports the outcome; parsing, replying and propagating stay with the
// handlers (server/families/stream/). A key of another type fails with kWrongType.
// Threading: engine thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/value/stream_value.h"

namespace ember::storage {

// XADD / XTRIM's trimming: MAXLEN or MINID, exact or approximate ("~", whole nodes only),
// with a LIMIT on the entries removed (0: none).
struct StreamTrim {
  enum class Strategy { kNone, kMaxLen, kMinId };
  Strategy strategy = Strategy::kNone;
  bool approx = false;
  int64_t limit = 0;
  uint64_t max_length = 0;
  StreamId min_id;
};

// After an approximate trim, what XADD and XTRIM propagate instead of "~ <n>": "= <n>" with
// the length left (MAXLEN) or the first entry's ID, tombstones included (MINID), so a
// replay removes exactly what this one removed (Redis's streamRewriteTrimArgument).
std::string ExactTrimArgument(const StreamValue& stream, const StreamTrim& trim);

struct XAddRequest {
  bool no_mkstream = false;
  // The ID argument: absent ("*"), "<ms>-*" (seq_given false) or "<ms>-<seq>".
  bool id_given = false;
  bool seq_given = true;
  StreamId id;
  std::span<const std::string_view> field_values;  // name, value, name, value...
  StreamTrim trim;
};

struct XAddResult {
  enum class Outcome {
    kAdded,
    kNoStream,    // NOMKSTREAM and no key: nothing happened
    kIdTooSmall,  // "equal or smaller than the target stream top item"
    kExhausted,   // the stream's last ID is the largest possible
    kTooLarge,    // "Elements are too large to be stored"
  };
  Outcome outcome = Outcome::kAdded;
  StreamId id;                 // the added entry's ID
  int64_t trimmed = 0;         // entries the trim removed
  std::string exact_trim_arg;  // set after an approximate trim (ExactTrimArgument)
};

OpResult<XAddResult> OpXAdd(Database& db, std::string_view key, const XAddRequest& request,
                            int64_t now_ms);

// XLEN: live entries (0 for a missing key).
OpResult<int64_t> OpXLen(Database& db, std::string_view key, int64_t now_ms);

struct StreamEntry {
  StreamId id;
  std::vector<std::string> field_values;  // name, value, name, value...
};
// XRANGE / XREVRANGE: the live entries with start <= id <= end, at most `count` (0: all), in
// order or from the end; kKeyNotFound for a missing key.
OpResult<std::vector<StreamEntry>> OpXRange(Database& db, std::string_view key, StreamId start,
                                            StreamId end, bool reverse, size_t count,
                                            int64_t now_ms);

// XDEL: deletes the live entries among `ids`; the number deleted (0 for a missing key).
// Keeps the stream's max-deleted-entry-id and first ID as Redis does.
OpResult<int64_t> OpXDel(Database& db, std::string_view key, std::span<const StreamId> ids,
                         int64_t now_ms);

struct XTrimResult {
  int64_t trimmed = 0;
  std::string exact_trim_arg;  // set after an approximate trim that removed entries
};
// XTRIM: trims as `trim` says (0 for a missing key).
OpResult<XTrimResult> OpXTrim(Database& db, std::string_view key, const StreamTrim& trim,
                              int64_t now_ms);

// XINFO STREAM: the stream's metadata, its first and last entries (or, for FULL, up to
// `full_count` entries from the start; 0: all); kKeyNotFound for a missing key.
struct StreamInfo {
  uint64_t length = 0;
  uint64_t nodes = 0;
  StreamId last_id;
  StreamId max_deleted_id;
  uint64_t entries_added = 0;
  StreamId first_id;
  std::optional<StreamEntry> first_entry;
  std::optional<StreamEntry> last_entry;
  std::vector<StreamEntry> entries;  // FULL only
};
OpResult<StreamInfo> OpXInfoStream(Database& db, std::string_view key, bool full, size_t full_count,
                                   int64_t now_ms);

struct XSetIdRequest {
  StreamId last_id;
  std::optional<uint64_t> entries_added;
  std::optional<StreamId> max_deleted_id;  // only when not 0-0
};
enum class XSetIdOutcome { kSet, kSmallerThanTop, kEntriesAddedTooSmall };
// XSETID: kKeyNotFound for a missing key.
OpResult<XSetIdOutcome> OpXSetId(Database& db, std::string_view key, const XSetIdRequest& request,
                                 int64_t now_ms);

}  // namespace ember::storage
