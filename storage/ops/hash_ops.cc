#include "storage/ops/hash_ops.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "storage/ops/glob.h"
#include "storage/value/number_format.h"

namespace ember::storage {
namespace {

// Redis refuses to read a long double from a string this long or longer
// (MAX_LONG_DOUBLE_CHARS), whatever it holds.
constexpr size_t kMaxLongDoubleChars = 5 * 1024;

// HSCAN visits at most this many buckets per pair asked for (Redis: COUNT is doubled for
// field/value pairs, then ten iterations per element).
constexpr int64_t kScanBucketsPerPair = 20;

}  // namespace

std::optional<long double> ParseHashFloat(std::string_view text) {
  if (text.size() >= kMaxLongDoubleChars) return std::nullopt;
  return ParseLongDouble(text);
}

OpResult<CollectionView<HashValue>> OpFindHash(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kHash, now_ms, LookupMode::kRead);
  if (!found.ok()) return found.status();
  return (*found)->value().Read<HashValue>();
}

OpResult<int64_t> OpHSet(Database& db, std::string_view key,
                         std::span<const std::string_view> field_values, int64_t now_ms) {
  OpResult<ValueMutation> mutation = db.FindOrCreate(key, ValueType::kHash, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& hash = mutation->As<HashValue>();
  const EncodingLimits& limits = db.encoding_limits();
  int64_t created = 0;
  for (size_t i = 0; i + 1 < field_values.size(); i += 2) {
    if (hash.Set(field_values[i], field_values[i + 1], limits)) ++created;
  }
  return created;
}

OpResult<bool> OpHSetNx(Database& db, std::string_view key, std::string_view field,
                        std::string_view value, int64_t now_ms) {
  OpResult<ValueMutation> mutation = db.FindOrCreate(key, ValueType::kHash, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& hash = mutation->As<HashValue>();
  if (hash.Contains(field)) {
    mutation->MarkUnchanged();
    return false;
  }
  hash.Set(field, value, db.encoding_limits());
  return true;
}

OpResult<int64_t> OpHDel(Database& db, std::string_view key,
                         std::span<const std::string_view> fields, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kHash, now_ms, LookupMode::kWrite);
  if (found.status() == OpStatus::kKeyNotFound) return int64_t{0};
  if (!found.ok()) return found.status();
  ValueMutation mutation = db.Mutate(*found);
  auto& hash = mutation.As<HashValue>();
  int64_t deleted = 0;
  for (std::string_view field : fields) {
    if (hash.Delete(field)) ++deleted;
    if (hash.Size() == 0) break;
  }
  if (deleted == 0) mutation.MarkUnchanged();
  return deleted;
}

OpResult<int64_t> OpHIncrBy(Database& db, std::string_view key, std::string_view field,
                            int64_t delta, int64_t now_ms) {
  OpResult<ValueMutation> mutation = db.FindOrCreate(key, ValueType::kHash, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& hash = mutation->As<HashValue>();
  int64_t current = 0;
  NumberBuffer scratch;
  if (std::optional<std::string_view> value = hash.Get(field, scratch)) {
    std::optional<int64_t> parsed = ParseInt64(*value);
    if (!parsed.has_value()) {
      mutation->MarkUnchanged();
      return OpStatus::kNotAnInteger;
    }
    current = *parsed;
  }
  int64_t sum = 0;
  if (__builtin_add_overflow(current, delta, &sum)) {
    mutation->MarkUnchanged();
    return OpStatus::kOverflow;
  }
  NumberBuffer digits;
  hash.Set(field, std::string_view(digits.data, FormatInt64(sum, digits.data)),
           db.encoding_limits());
  return sum;
}

OpResult<std::string> OpHIncrByFloat(Database& db, std::string_view key, std::string_view field,
                                     long double delta, int64_t now_ms) {
  OpResult<ValueMutation> mutation = db.FindOrCreate(key, ValueType::kHash, now_ms);
  if (!mutation.ok()) return mutation.status();
  auto& hash = mutation->As<HashValue>();
  long double current = 0;
  NumberBuffer scratch;
  if (std::optional<std::string_view> value = hash.Get(field, scratch)) {
    std::optional<long double> parsed = ParseHashFloat(*value);
    if (!parsed.has_value()) {
      mutation->MarkUnchanged();
      return OpStatus::kNotAFloat;
    }
    current = *parsed;
  }
  const long double sum = current + delta;
  if (std::isnan(sum) || std::isinf(sum)) {
    mutation->MarkUnchanged();
    return OpStatus::kNanOrInfinity;
  }
  std::string text = FormatLongDoubleHuman(sum);
  hash.Set(field, text, db.encoding_limits());
  return text;
}

HashScanPage HashScanStep(const HashValue& hash, uint64_t cursor, const HashScanOptions& options) {
  HashScanPage page;
  auto collect = [&page](std::string_view field, std::string_view value) {
    page.pairs.emplace_back(field, value);
  };
  if (hash.encoding() == CollectionEncoding::kListpack) {
    page.cursor = hash.Scan(cursor, collect);
  } else {
    const auto wanted = static_cast<size_t>(options.count);
    int64_t buckets_left = options.count * kScanBucketsPerPair;
    do {
      cursor = hash.Scan(cursor, collect);
    } while (cursor != 0 && buckets_left-- > 0 && page.pairs.size() < wanted);
    page.cursor = cursor;
  }
  if (options.has_pattern) {
    std::erase_if(page.pairs, [&options](const std::pair<std::string, std::string>& pair) {
      return !GlobMatch(options.pattern, pair.first);
    });
  }
  return page;
}

uint64_t HashRandomFieldsCount(size_t size, int64_t count) {
  if (count < 0) return static_cast<uint64_t>(-count);
  return std::min<uint64_t>(static_cast<uint64_t>(count), size);
}

void HashRandomFields(const HashValue& hash, int64_t count, std::mt19937_64& rng,
                      const HashValue::FieldFn& fn) {
  if (count < 0) {
    hash.RandomPairs(rng, static_cast<size_t>(-count), fn);
  } else if (static_cast<uint64_t>(count) >= hash.Size()) {
    hash.ForEach(fn);
  } else {
    hash.DistinctRandomPairs(rng, static_cast<size_t>(count), fn);
  }
}

}  // namespace ember::storage
