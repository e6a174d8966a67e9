#include "storage/ops/string_ops.h"

#include <cmath>
#include <utility>

#include "storage/ops/string_lookup.h"
#include "storage/value/number_format.h"
#include "storage/value/value.h"

namespace ember::storage {
namespace {

// Redis refuses to read a long double from a string this long or longer
// (MAX_LONG_DOUBLE_CHARS), whatever it holds.
constexpr size_t kMaxLongDoubleChars = 5 * 1024;

// Whether a string of `length` bytes growing by `extra` would pass `max_len`; written so
// that neither sum can overflow.
bool ExceedsMax(int64_t length, size_t extra, int64_t max_len) {
  if (length > max_len) return true;
  return extra > static_cast<uint64_t>(max_len - length);
}

// SET's plain write: replace or add the value and drop any TTL.
void WritePlain(Database& db, std::string_view key, std::string_view value, int64_t now_ms) {
  Entry* entry = db.Find(key, now_ms);
  if (entry == nullptr) {
    db.AddString(key, value);
    return;
  }
  // Dropping the TTL first lets the store drop its slot too.
  db.RemoveExpire(entry);
  static_cast<void>(db.OverwriteString(entry, value));
}

std::optional<int64_t> ReadInt64(ValueRef value) {
  if (value.is_integer()) return value.integer();
  return ParseInt64(value.bytes());
}

std::optional<long double> ParseFloatArg(std::string_view text) {
  if (text.size() >= kMaxLongDoubleChars) return std::nullopt;
  return ParseLongDouble(text);
}

std::optional<long double> ReadLongDouble(ValueRef value) {
  if (value.is_integer()) return static_cast<long double>(value.integer());
  return ParseFloatArg(value.bytes());
}

}  // namespace

OpResult<SetResult> OpSet(Database& db, std::string_view key, std::string_view value,
                          const SetOptions& options, int64_t now_ms) {
  SetResult result;
  Entry* entry = nullptr;
  if (options.return_old) {
    OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, LookupMode::kRead);
    if (!found.ok()) return found.status();
    entry = *found;
    if (entry != nullptr) {
      NumberBuffer scratch;
      result.old_value.emplace(entry->value().View(scratch));
    }
  } else {
    // SET without GET replaces a value of any type.
    entry = db.Find(key, now_ms);
  }

  const bool found = entry != nullptr;
  if ((options.condition == SetCondition::kIfAbsent && found) ||
      (options.condition == SetCondition::kIfPresent && !found)) {
    return result;
  }

  if (!found) {
    db.AddString(key, value, options.expire_at_ms);
  } else {
    // Dropping the TTL before the store lets the store drop its slot too.
    if (!options.expire_at_ms.has_value() && !options.keep_ttl) db.RemoveExpire(entry);
    entry = db.OverwriteString(entry, value);
    if (options.expire_at_ms.has_value()) entry = db.SetExpire(entry, *options.expire_at_ms);
  }
  result.written = true;
  return result;
}

OpResult<std::string_view> OpGet(Database& db, std::string_view key, int64_t now_ms,
                                 NumberBuffer& scratch) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kString, now_ms, LookupMode::kRead);
  if (!found.ok()) return found.status();
  return (*found)->value().View(scratch);
}

OpResult<std::string> OpGetDel(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kString, now_ms, LookupMode::kRead);
  if (!found.ok()) return found.status();
  NumberBuffer scratch;
  std::string value((*found)->value().View(scratch));
  db.Delete(key);
  return value;
}

OpResult<GetExResult> OpGetEx(Database& db, std::string_view key, const GetExOptions& options,
                              int64_t now_ms) {
  OpResult<Entry*> found = db.FindOfType(key, ValueType::kString, now_ms, LookupMode::kRead);
  if (!found.ok()) return found.status();
  Entry* entry = *found;

  GetExResult result;
  NumberBuffer scratch;
  result.value.assign(entry->value().View(scratch));
  switch (options.action) {
    case GetExOptions::Action::kNone:
      break;
    case GetExOptions::Action::kSetExpire:
      if (db.ExpiryDue(options.expire_at_ms, now_ms)) {
        db.Delete(key);
        result.effect = GetExResult::Effect::kDeleted;
      } else {
        entry = db.SetExpire(entry, options.expire_at_ms);
        result.effect = GetExResult::Effect::kExpireSet;
      }
      break;
    case GetExOptions::Action::kPersist:
      if (db.RemoveExpire(entry)) result.effect = GetExResult::Effect::kPersisted;
      break;
  }
  return result;
}

void OpMSet(Database& db, std::span<const std::string_view> key_values, int64_t now_ms,
            const std::function<void(std::string_view key)>& after_each) {
  for (size_t i = 0; i + 1 < key_values.size(); i += 2) {
    WritePlain(db, key_values[i], key_values[i + 1], now_ms);
    if (after_each) after_each(key_values[i]);
  }
}

bool OpMSetNx(Database& db, std::span<const std::string_view> key_values, int64_t now_ms,
              const std::function<void(std::string_view key)>& after_each) {
  for (size_t i = 0; i + 1 < key_values.size(); i += 2) {
    if (db.Find(key_values[i], now_ms) != nullptr) return false;
  }
  OpMSet(db, key_values, now_ms, after_each);
  return true;
}

OpResult<int64_t> OpAppend(Database& db, std::string_view key, std::string_view value,
                           int64_t max_len, int64_t now_ms) {
  OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, LookupMode::kWrite);
  if (!found.ok()) return found.status();
  Entry* entry = *found;
  if (entry == nullptr) {
    db.AddString(key, value);
    return static_cast<int64_t>(value.size());
  }
  const auto length = static_cast<int64_t>(entry->value().size());
  if (ExceedsMax(length, value.size(), max_len)) return OpStatus::kStringTooLong;
  ValueMutation mutation = db.Mutate(entry);
  CompactString& str = mutation.value().str();
  str.Append(value);
  return static_cast<int64_t>(str.size());
}

OpResult<int64_t> OpStrLen(Database& db, std::string_view key, int64_t now_ms) {
  OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, LookupMode::kRead);
  if (!found.ok()) return found.status();
  return *found == nullptr ? int64_t{0} : static_cast<int64_t>((*found)->value().size());
}

OpResult<int64_t> OpIncrBy(Database& db, std::string_view key, int64_t delta, int64_t now_ms) {
  OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, LookupMode::kWrite);
  if (!found.ok()) return found.status();
  Entry* entry = *found;
  int64_t current = 0;
  if (entry != nullptr) {
    std::optional<int64_t> parsed = ReadInt64(entry->value());
    if (!parsed.has_value()) return OpStatus::kNotAnInteger;
    current = *parsed;
  }
  int64_t sum = 0;
  if (__builtin_add_overflow(current, delta, &sum)) return OpStatus::kOverflow;
  if (entry == nullptr) {
    db.Add(key, Value::Integer(sum));
  } else {
    entry = db.Overwrite(entry, Value::Integer(sum));
  }
  return sum;
}

OpResult<std::string> OpIncrByFloat(Database& db, std::string_view key, std::string_view increment,
                                    int64_t now_ms) {
  OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, LookupMode::kWrite);
  if (!found.ok()) return found.status();
  Entry* entry = *found;
  long double current = 0;
  if (entry != nullptr) {
    std::optional<long double> parsed = ReadLongDouble(entry->value());
    if (!parsed.has_value()) return OpStatus::kNotAFloat;
    current = *parsed;
  }
  std::optional<long double> delta = ParseFloatArg(increment);
  if (!delta.has_value()) return OpStatus::kNotAFloat;
  const long double sum = current + *delta;
  if (std::isnan(sum) || std::isinf(sum)) return OpStatus::kNanOrInfinity;

  std::string text = FormatLongDoubleHuman(sum);
  // Stored as bytes, not integer-encoded, as Redis stores INCRBYFLOAT results.
  Value value = Value::Bytes(text);
  if (entry == nullptr) {
    db.Add(key, std::move(value));
  } else {
    entry = db.Overwrite(entry, std::move(value));
  }
  return text;
}

OpResult<std::string_view> OpGetRange(Database& db, std::string_view key, int64_t start,
                                      int64_t end, int64_t now_ms, NumberBuffer& scratch) {
  OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, LookupMode::kRead);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return std::string_view();
  const std::string_view bytes = (*found)->value().View(scratch);
  const auto length = static_cast<int64_t>(bytes.size());

  // Both negative and inverted: empty even when clamping would make them overlap.
  if (start < 0 && end < 0 && start > end) return std::string_view();
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (length == 0 || start > end) return std::string_view();
  return bytes.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1));
}

OpResult<int64_t> OpSetRange(Database& db, std::string_view key, int64_t offset,
                             std::string_view value, int64_t max_len, int64_t now_ms) {
  OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, LookupMode::kWrite);
  if (!found.ok()) return found.status();
  Entry* entry = *found;
  if (value.empty()) {
    return entry == nullptr ? int64_t{0} : static_cast<int64_t>(entry->value().size());
  }
  if (ExceedsMax(offset, value.size(), max_len)) return OpStatus::kStringTooLong;
  // The key is created only now that the write is known to happen; FindOrCreate would
  // have created it before the checks above.
  OpResult<ValueMutation> mutation =
      entry == nullptr ? db.AddEmpty(key, ValueType::kString) : db.Mutate(entry);
  if (!mutation.ok()) return mutation.status();
  CompactString& str = mutation->value().str();
  str.WriteAt(static_cast<size_t>(offset), value);
  return static_cast<int64_t>(str.size());
}

}  // namespace ember::storage
