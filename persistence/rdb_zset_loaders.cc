// Sorted set loaders (rdb_collection_loaders.h).
//
// Why two paths: a listpack (17) or ziplist (12) blob already holds the pairs in order, so
// once checked it is adopted as the packed form (or converted by count, as Redis does);
// the skiplist types (3, 5) hold pairs in any order (Redis 7.0 writes them highest first,
// older versions in dict order), so a set that may become packed is collected, sorted and
// packed, and one that cannot is built straight into the index, as Redis converts only
// after loading.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "persistence/rdb_blob_readers.h"
#include "persistence/rdb_collection_loaders.h"
#include "storage/value/listpack.h"
#include "storage/value/number_format.h"
#include "storage/value/zset_value.h"

namespace ember::persistence {
namespace {

using storage::Listpack;
using storage::SortedSetValue;

// rdbLoadDoubleValue's length bytes for the special values of a text score.
constexpr uint8_t kTextScoreNegInf = 255;
constexpr uint8_t kTextScorePosInf = 254;
constexpr uint8_t kTextScoreNan = 253;

uint64_t Limit(int64_t limit) { return static_cast<uint64_t>(std::max<int64_t>(limit, 0)); }

Status EmptyZSet(uint64_t at) { return Status::Error("empty zset (Redis writes none)", at); }

Status DuplicateMember(uint64_t index, uint64_t at) {
  return Status::Error(fmt::format("duplicate zset member (member {})", index), at);
}

Status NanScore(uint64_t index, uint64_t at) {
  return Status::Error(fmt::format("zset score is NaN (member {})", index), at);
}

// Whether (score, member) orders strictly after (prev_score, prev_member), the order a
// sorted set keeps (equal scores, -0 and 0 included, order by member bytes).
bool OrdersAfter(double score, std::string_view member, double prev_score,
                 std::string_view prev_member) {
  if (score != prev_score) return score > prev_score;
  return member > prev_member;
}

// A score entry of a listpack: an integer, or text strtod reads whole (d2string's output).
std::optional<double> ScoreOf(const Listpack::Element& entry) {
  if (entry.is_integer) return static_cast<double>(entry.integer);
  return storage::ParseDouble(entry.bytes);
}

// Checks the pairs of a sorted set's listpack: some, an even number, each score a double
// (not NaN), distinct members in (score, member) order. Redis 7.0 checks only the count
// and the duplicates (lpPairsValidateIntegrityAndDups); Ember also refuses what its packed
// form could not search: an unreadable score or pairs out of order.
Status CheckZSetListpack(const Listpack& pairs, std::string_view form, uint64_t at) {
  if (pairs.empty()) return EmptyZSet(at);
  if (pairs.size() % 2 != 0) {
    return Status::Error(
        fmt::format("zset {} has an odd number of entries ({})", form, pairs.size()), at);
  }
  std::unordered_set<std::string> members;
  members.reserve(pairs.size() / 2);
  std::string prev_member;
  double prev_score = 0;
  size_t index = 0;
  for (size_t offset = pairs.First(); offset != Listpack::kNoEntry; ++index) {
    const size_t score_offset = pairs.Next(offset);
    storage::NumberBuffer scratch;
    const std::string_view member = pairs.Get(offset).View(scratch);
    const std::optional<double> score = ScoreOf(pairs.Get(score_offset));
    if (!score) {
      return Status::Error(fmt::format("zset {} has an invalid score (member {})", form, index),
                           at);
    }
    if (!members.emplace(member).second) return DuplicateMember(index, at);
    if (index > 0 && !OrdersAfter(*score, member, prev_score, prev_member)) {
      return Status::Error(fmt::format("zset {} is not in score order (member {})", form, index),
                           at);
    }
    prev_member.assign(member);
    prev_score = *score;
    offset = pairs.Next(score_offset);
  }
  return Status::Ok();
}

Status BoxChecked(const Listpack& pairs, std::string_view form, const RdbLoadContext& context,
                  uint64_t at, storage::Value* out) {
  Status s = CheckZSetListpack(pairs, form, at);
  if (!s.ok()) return s;
  *out = storage::Value::Box(SortedSetValue::FromListpack(pairs, context.limits));
  return Status::Ok();
}

// A text score (type 3): a length byte, 253..255 for NaN, +inf and -inf, else that many
// bytes of text.
Status ReadTextScore(RdbInput& input, double* score) {
  const uint64_t at = input.offset();
  uint8_t length = 0;
  Status s = input.ReadByte(&length);
  if (!s.ok()) return s;
  switch (length) {
    case kTextScoreNegInf:
      *score = -INFINITY;
      return Status::Ok();
    case kTextScorePosInf:
      *score = INFINITY;
      return Status::Ok();
    case kTextScoreNan:
      *score = NAN;
      return Status::Ok();
    default:
      break;
  }
  std::string text;
  s = input.ReadExact(length, &text);
  if (!s.ok()) return s;
  const std::optional<double> parsed = storage::ParseDouble(text);
  if (!parsed) return Status::Error(fmt::format("invalid zset score text \"{}\"", text), at);
  *score = *parsed;
  return Status::Ok();
}

// A binary score (type 5): an IEEE 754 double, 8 bytes little-endian.
Status ReadBinaryScore(RdbInput& input, double* score) {
  uint64_t bits = 0;
  Status s = input.ReadLittleEndian(8, &bits);
  if (!s.ok()) return s;
  *score = std::bit_cast<double>(bits);
  return Status::Ok();
}

using ScoreReader = Status (*)(RdbInput& input, double* score);

struct ZSetPair {
  std::string member;
  double score;
};

// Reads `count` pairs straight into the index form; refuses a NaN score or a repeated
// member.
Status LoadIntoIndex(RdbInput& input, uint64_t count, ScoreReader read_score,
                     const RdbLoadContext& context, storage::Value* out) {
  auto set = std::make_unique<SortedSetValue>(context.limits);
  set->ConvertToIndex();
  ZSetPair pair;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t member_at = input.offset();
    Status s = input.ReadString(&pair.member);
    if (s.ok()) s = read_score(input, &pair.score);
    if (!s.ok()) return s;
    if (std::isnan(pair.score)) return NanScore(i, member_at);
    if (set->Add(pair.member, pair.score, context.limits) != SortedSetValue::AddResult::kAdded) {
      return DuplicateMember(i, member_at);
    }
  }
  *out = storage::Value::Box(std::move(set));
  return Status::Ok();
}

// Types 3 and 5: a count, then member strings each followed by a score. A set within the
// listpack limits (count, longest member, total bytes) is packed, as Redis converts it
// after loading; any other is built as the index.
Status LoadZSetPairs(RdbInput& input, ScoreReader read_score, const RdbLoadContext& context,
                     storage::Value* out) {
  const uint64_t at = input.offset();
  uint64_t count = 0;
  Status s = input.ReadLength(&count);
  if (!s.ok()) return s;
  if (count == 0) return EmptyZSet(at);
  if (count > Limit(context.limits.zset_max_listpack_entries)) {
    return LoadIntoIndex(input, count, read_score, context, out);
  }
  // Within the entry limit: collect, then pack or index. No reserve from `count`, which
  // the file may lie about.
  std::vector<ZSetPair> pairs;
  std::unordered_set<std::string_view> members;
  size_t longest = 0;
  size_t total = 0;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t member_at = input.offset();
    ZSetPair pair;
    s = input.ReadString(&pair.member);
    if (s.ok()) s = read_score(input, &pair.score);
    if (!s.ok()) return s;
    if (std::isnan(pair.score)) return NanScore(i, member_at);
    longest = std::max(longest, pair.member.size());
    total += pair.member.size();
    pairs.push_back(std::move(pair));
  }
  // Views into `pairs`, which no longer grows.
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (!members.insert(pairs[i].member).second) return DuplicateMember(i, at);
  }
  auto set = std::make_unique<SortedSetValue>(context.limits);
  if (longest > Limit(context.limits.zset_max_listpack_value) || total > Listpack::kMaxSafeBytes) {
    set->ConvertToIndex();
    for (const ZSetPair& pair : pairs) set->Add(pair.member, pair.score, context.limits);
    *out = storage::Value::Box(std::move(set));
    return Status::Ok();
  }
  std::sort(pairs.begin(), pairs.end(), [](const ZSetPair& a, const ZSetPair& b) {
    return OrdersAfter(b.score, b.member, a.score, a.member);
  });
  Listpack packed;
  for (const ZSetPair& pair : pairs) {
    packed.Append(pair.member);
    packed.Append(storage::FormatScore(pair.score));
  }
  *out = storage::Value::Box(SortedSetValue::FromListpack(packed, context.limits));
  return Status::Ok();
}

}  // namespace

Status LoadZSet(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  return LoadZSetPairs(input, ReadTextScore, context, out);
}

Status LoadZSet2(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  return LoadZSetPairs(input, ReadBinaryScore, context, out);
}

Status LoadZSetListpack(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  Listpack pairs;
  Status s = ReadListpackBlob(input, "zset", &pairs);
  if (!s.ok()) return s;
  return BoxChecked(pairs, "listpack", context, at, out);
}

Status LoadZSetZiplist(RdbInput& input, const RdbLoadContext& context, storage::Value* out) {
  const uint64_t at = input.offset();
  Listpack pairs;
  Status s = ReadZiplistAsListpack(input, "zset", &pairs);
  if (!s.ok()) return s;
  return BoxChecked(pairs, "ziplist", context, at, out);
}

}  // namespace ember::persistence
