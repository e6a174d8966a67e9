#include "storage/ops/bitmap_ops.h"

#include <algorithm>
#include <array>
#include <string>

#include "storage/ops/string_lookup.h"
#include "storage/value/compact_string.h"
#include "storage/value/value.h"

namespace ember::storage {
namespace {

using bitmap::Overflow;

// The value of a GET over `bytes`.
int64_t ReadFieldValue(std::string_view bytes, const BitFieldOp& op) {
  const uint64_t raw = bitmap::ReadField(bytes, op.offset, op.bits);
  return op.is_signed ? bitmap::SignExtend(raw, op.bits) : static_cast<int64_t>(raw);
}

// The reply of a SET or INCRBY on a field holding `raw`, and what it stores.
struct FieldWrite {
  std::optional<int64_t> reply;  // nullopt: refused by OVERFLOW FAIL, nothing stored
  uint64_t stored = 0;           // the field's new bits
};

FieldWrite PlanFieldWrite(uint64_t raw, const BitFieldOp& op) {
  const bool is_set = op.kind == BitFieldOp::Kind::kSet;
  const int64_t increment = is_set ? 0 : op.value;
  bitmap::FieldSum sum;
  int64_t old_value = 0;
  if (op.is_signed) {
    old_value = bitmap::SignExtend(raw, op.bits);
    sum = bitmap::AddSigned(is_set ? op.value : old_value, increment, op.bits, op.overflow);
  } else {
    old_value = static_cast<int64_t>(raw);
    sum = bitmap::AddUnsigned(is_set ? static_cast<uint64_t>(op.value) : raw, increment, op.bits,
                              op.overflow);
  }
  if (sum.overflowed && op.overflow == Overflow::kFail) return {};
  const uint64_t stored = op.bits >= 64 ? sum.stored : sum.stored & ((uint64_t{1} << op.bits) - 1);
  const int64_t new_value =
      op.is_signed ? bitmap::SignExtend(stored, op.bits) : static_cast<int64_t>(stored);
  return {is_set ? old_value : new_value, stored};
}

// Writes `bits` wide `value` at bit `offset` of `str`, touching only the bytes it spans.
// Requires: the string reaches past the field.
void StoreField(CompactString& str, uint64_t offset, unsigned bits, uint64_t value) {
  NumberBuffer scratch;
  const std::string_view bytes = str.View(scratch);
  const uint64_t first = offset >> 3;
  const unsigned span = bitmap::FieldSpan(offset, bits);
  std::array<char, 9> window{};
  std::copy_n(bytes.data() + first, span, window.data());
  bitmap::WriteField(std::span<char>(window.data(), span), offset & 7, bits, value);
  str.WriteAt(first, std::string_view(window.data(), span));
}

BitFieldResult ReadOnlyBitField(std::string_view bytes, std::span<const BitFieldOp> ops) {
  BitFieldResult result;
  result.replies.reserve(ops.size());
  for (const BitFieldOp& op : ops) result.replies.emplace_back(ReadFieldValue(bytes, op));
  return result;
}

}  // namespace

OpResult<SetBitResult> OpSetBit(Database& db, std::string_view key, uint64_t offset, bool bit,
                                int64_t now_ms) {
  OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, LookupMode::kWrite);
  if (!found.ok()) return found.status();
  Entry* entry = *found;
  const uint64_t byte_index = offset >> 3;
  SetBitResult result;
  if (entry != nullptr) {
    NumberBuffer scratch;
    const std::string_view bytes = entry->value().View(scratch);
    result.old_bit = bitmap::BitAt(bytes, offset);
    if (byte_index < bytes.size() && result.old_bit == bit) return result;
  }
  OpResult<ValueMutation> mutation =
      entry == nullptr ? db.AddEmpty(key, ValueType::kString) : db.Mutate(entry);
  if (!mutation.ok()) return mutation.status();
  CompactString& str = mutation->value().str();
  NumberBuffer scratch;
  const std::string_view bytes = str.View(scratch);
  const auto mask = static_cast<uint8_t>(0x80u >> (offset & 7));
  auto byte = static_cast<uint8_t>(byte_index < bytes.size() ? bytes[byte_index] : 0);
  byte = bit ? static_cast<uint8_t>(byte | mask) : static_cast<uint8_t>(byte & ~mask);
  const char written = static_cast<char>(byte);
  str.WriteAt(byte_index, std::string_view(&written, 1));
  result.changed = true;
  return result;
}

OpResult<BitOpResult> OpBitOp(Database& db, bitmap::BitOperation op, std::string_view dest,
                              std::span<const std::string_view> sources, int64_t now_ms) {
  std::vector<std::string_view> inputs;
  inputs.reserve(sources.size());
  std::vector<NumberBuffer> scratch(sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    OpResult<Entry*> found = FindStringOrNull(db, sources[i], now_ms, LookupMode::kRead);
    if (!found.ok()) return found.status();
    inputs.push_back(*found == nullptr ? std::string_view() : (*found)->value().View(scratch[i]));
  }
  const std::string combined = bitmap::Combine(op, inputs);
  BitOpResult result;
  result.length = static_cast<int64_t>(combined.size());
  if (combined.empty()) {
    // Redis's dbDelete: no expiry check, so a key past its TTL still counts as deleted.
    if (db.Delete(dest)) result.effect = BitOpEffect::kDeleted;
    return result;
  }
  // Kept as bytes, as Redis stores BITOP's result without trying an integer encoding.
  Entry* entry = db.Find(dest, now_ms);
  if (entry == nullptr) {
    db.Add(dest, Value::Bytes(combined));
  } else {
    db.RemoveExpire(entry);
    static_cast<void>(db.Overwrite(entry, Value::Bytes(combined)));
  }
  result.effect = BitOpEffect::kStored;
  return result;
}

OpResult<BitFieldResult> OpBitField(Database& db, std::string_view key,
                                    std::span<const BitFieldOp> ops, int64_t now_ms) {
  uint64_t highest_bit = 0;
  bool writes = false;
  for (const BitFieldOp& op : ops) {
    if (op.kind == BitFieldOp::Kind::kGet) continue;
    writes = true;
    highest_bit = std::max(highest_bit, op.offset + op.bits - 1);
  }
  if (!writes) {
    OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, LookupMode::kRead);
    if (!found.ok()) return found.status();
    NumberBuffer scratch;
    const std::string_view bytes =
        *found == nullptr ? std::string_view() : (*found)->value().View(scratch);
    return ReadOnlyBitField(bytes, ops);
  }

  OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, LookupMode::kWrite);
  if (!found.ok()) return found.status();
  OpResult<ValueMutation> mutation =
      *found == nullptr ? db.AddEmpty(key, ValueType::kString) : db.Mutate(*found);
  if (!mutation.ok()) return mutation.status();
  CompactString& str = mutation->value().str();
  const uint64_t needed = (highest_bit >> 3) + 1;
  const bool grown = str.size() < needed;
  if (grown) {
    const char zero = 0;
    str.WriteAt(needed - 1, std::string_view(&zero, 1));
  }

  BitFieldResult result;
  result.replies.reserve(ops.size());
  for (const BitFieldOp& op : ops) {
    NumberBuffer scratch;
    const std::string_view bytes = str.View(scratch);
    if (op.kind == BitFieldOp::Kind::kGet) {
      result.replies.emplace_back(ReadFieldValue(bytes, op));
      continue;
    }
    const uint64_t raw = bitmap::ReadField(bytes, op.offset, op.bits);
    const FieldWrite write = PlanFieldWrite(raw, op);
    result.replies.push_back(write.reply);
    if (!write.reply.has_value()) continue;
    if (write.stored != raw) StoreField(str, op.offset, op.bits, write.stored);
    if (grown || write.stored != raw) ++result.changes;
  }
  // Redis signals nothing when no field changed; a string grown for fields that FAIL
  // refused stays grown and is reported (see the header).
  if (result.changes == 0 && !grown) mutation->MarkUnchanged();
  return result;
}

}  // namespace ember::storage
