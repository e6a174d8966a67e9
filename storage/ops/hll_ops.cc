#include "storage/ops/hll_ops.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "storage/ops/hll_estimate.h"
#include "storage/ops/hll_sparse.h"
#include "storage/ops/string_lookup.h"

namespace ember::storage {
namespace {

using hll::Encoding;

// The HLL string at `key`: its entry (nullptr when absent) after Redis's checks.
struct FoundHll {
  Entry* entry = nullptr;
  std::string_view bytes;  // valid until the entry changes
};

OpResult<FoundHll> FindHll(Database& db, std::string_view key, int64_t now_ms, LookupMode mode,
                           NumberBuffer& scratch) {
  OpResult<Entry*> found = FindStringOrNull(db, key, now_ms, mode);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return FoundHll{};
  const std::string_view bytes = (*found)->value().View(scratch);
  if (!hll::IsHllString(bytes)) return OpStatus::kNotHll;
  return FoundHll{*found, bytes};
}

// Raises the dense registers `elements` hash to, in place: at most two bytes per raised
// register and the header's stale bit are rewritten, so a dense PFADD copies nothing.
uint64_t AddToDense(Database& db, Entry* entry, std::span<const std::string_view> elements) {
  std::optional<ValueMutation> mutation;
  NumberBuffer scratch;
  std::string_view bytes = entry->value().View(scratch);
  uint64_t updates = 0;
  for (std::string_view element : elements) {
    const hll::Observation seen = hll::Observe(element);
    const auto* registers = reinterpret_cast<const uint8_t*>(bytes.data() + hll::kHeaderSize);
    if (seen.count <= hll::DenseRegister(registers, seen.index)) continue;
    if (!mutation.has_value()) {
      mutation.emplace(db.Mutate(entry));
      bytes = mutation->value().str().View(scratch);
      registers = reinterpret_cast<const uint8_t*>(bytes.data() + hll::kHeaderSize);
    }
    const hll::RegisterSpan span = hll::DenseRegisterSpan(seen.index);
    std::array<uint8_t, 2> window{};
    std::copy_n(registers + span.offset, span.length, window.data());
    hll::PutRegisterBits(window.data(), (seen.index * hll::kRegisterBits) & 7, seen.count);
    mutation->value().str().WriteAt(
        hll::kHeaderSize + span.offset,
        std::string_view(reinterpret_cast<const char*>(window.data()), span.length));
    bytes = mutation->value().str().View(scratch);
    ++updates;
  }
  if (updates > 0) {
    const char last = static_cast<char>(bytes[hll::kHeaderSize - 1] | hll::kStaleBit);
    mutation->value().str().WriteAt(hll::kHeaderSize - 1, std::string_view(&last, 1));
  }
  return updates;
}

// Replaces the value of `entry` with `bytes` when they differ from `before`.
void StoreIfChanged(Database& db, Entry* entry, std::string_view before, const std::string& bytes) {
  if (bytes == before) return;
  ValueMutation mutation = db.Mutate(entry);
  mutation.value().str().Assign(bytes);
}

}  // namespace

OpResult<uint64_t> OpPfAdd(Database& db, std::string_view key,
                           std::span<const std::string_view> elements, size_t sparse_max_bytes,
                           int64_t now_ms) {
  NumberBuffer scratch;
  OpResult<FoundHll> found = FindHll(db, key, now_ms, LookupMode::kWrite, scratch);
  if (!found.ok()) return found.status();
  if (found->entry != nullptr && hll::EncodingOf(found->bytes) == Encoding::kDense) {
    return AddToDense(db, found->entry, elements);
  }
  // Sparse: edited in a copy (at most sparse_max_bytes, or one dense string once promoted).
  const bool created = found->entry == nullptr;
  std::string hll = created ? hll::NewSparseHll() : std::string(found->bytes);
  uint64_t updates = created ? 1 : 0;
  bool corrupt = false;
  for (std::string_view element : elements) {
    const hll::Observation seen = hll::Observe(element);
    hll::SetOutcome outcome = hll::SetOutcome::kUnchanged;
    if (hll::EncodingOf(hll) == Encoding::kDense) {
      auto* registers = reinterpret_cast<uint8_t*>(hll.data() + hll::kHeaderSize);
      if (seen.count > hll::DenseRegister(registers, seen.index)) {
        hll::SetDenseRegister(registers, seen.index, seen.count);
        outcome = hll::SetOutcome::kUpdated;
      }
    } else {
      outcome = hll::SetSparseRegister(hll, seen.index, seen.count, sparse_max_bytes);
    }
    if (outcome == hll::SetOutcome::kCorrupt) {
      corrupt = true;
      break;
    }
    if (outcome == hll::SetOutcome::kUpdated) ++updates;
  }
  if (updates > 0) hll::MarkStale(hll);
  if (created) {
    db.Add(key, Value::Bytes(hll));
  } else {
    StoreIfChanged(db, found->entry, found->bytes, hll);
  }
  if (corrupt) return OpStatus::kCorruptHll;
  return updates;
}

OpResult<PfCountResult> OpPfCount(Database& db, std::span<const std::string_view> keys,
                                  int64_t now_ms) {
  NumberBuffer scratch;
  if (keys.size() == 1) {
    OpResult<FoundHll> found = FindHll(db, keys[0], now_ms, LookupMode::kRead, scratch);
    if (!found.ok()) return found.status();
    if (found->entry == nullptr) return PfCountResult{};
    if (std::optional<uint64_t> cached = hll::CachedCardinality(found->bytes)) {
      return PfCountResult{*cached, false};
    }
    uint64_t cardinality = 0;
    if (!hll::EstimateHll(found->bytes, &cardinality)) return OpStatus::kCorruptHll;
    const std::array<char, 8> cache = hll::CardinalityBytes(cardinality);
    ValueMutation mutation = db.Mutate(found->entry);
    mutation.value().str().WriteAt(hll::kCardinalityOffset,
                                   std::string_view(cache.data(), cache.size()));
    return PfCountResult{cardinality, true};
  }
  std::array<uint8_t, hll::kRegisters> max{};
  for (std::string_view key : keys) {
    OpResult<FoundHll> found = FindHll(db, key, now_ms, LookupMode::kRead, scratch);
    if (!found.ok()) return found.status();
    if (found->entry == nullptr) continue;
    if (!hll::MergeInto(found->bytes, &max)) return OpStatus::kCorruptHll;
  }
  return PfCountResult{hll::EstimateCardinality(hll::ByteHistogram(max)), false};
}

OpResult<bool> OpPfMerge(Database& db, std::span<const std::string_view> keys,
                         size_t sparse_max_bytes, int64_t now_ms) {
  std::array<uint8_t, hll::kRegisters> max{};
  bool any_dense = false;
  NumberBuffer scratch;
  for (std::string_view key : keys) {
    OpResult<FoundHll> found = FindHll(db, key, now_ms, LookupMode::kRead, scratch);
    if (!found.ok()) return found.status();
    if (found->entry == nullptr) continue;
    any_dense = any_dense || hll::EncodingOf(found->bytes) == Encoding::kDense;
    if (!hll::MergeInto(found->bytes, &max)) return OpStatus::kCorruptHll;
  }
  // The destination was one of the inputs: if it exists it is a valid HLL.
  OpResult<FoundHll> dest = FindHll(db, keys[0], now_ms, LookupMode::kWrite, scratch);
  if (!dest.ok()) return dest.status();
  std::string hll = dest->entry == nullptr ? hll::NewSparseHll() : std::string(dest->bytes);
  if (any_dense && hll::EncodingOf(hll) == Encoding::kSparse) {
    std::string dense;
    if (!hll::SparseToDense(hll, &dense)) return OpStatus::kCorruptHll;
    hll = std::move(dense);
  }
  // Register by register, in order, as Redis does: a sparse destination's bytes depend on
  // the order of its edits, and may turn dense part way.
  for (uint32_t i = 0; i < hll::kRegisters; ++i) {
    if (max[i] == 0) continue;
    if (hll::EncodingOf(hll) == Encoding::kDense) {
      auto* registers = reinterpret_cast<uint8_t*>(hll.data() + hll::kHeaderSize);
      if (max[i] > hll::DenseRegister(registers, i)) hll::SetDenseRegister(registers, i, max[i]);
    } else {
      static_cast<void>(hll::SetSparseRegister(hll, i, max[i], sparse_max_bytes));
    }
  }
  hll::MarkStale(hll);
  if (dest->entry == nullptr) {
    db.Add(keys[0], Value::Bytes(hll));
  } else {
    // Always a modification, even when no register moved: Redis signals and propagates it.
    ValueMutation mutation = db.Mutate(dest->entry);
    mutation.value().str().Assign(hll);
  }
  return true;
}

OpResult<PfDebugResult> OpPfDebug(Database& db, std::string_view key, PfDebugAction action,
                                  int64_t now_ms) {
  NumberBuffer scratch;
  OpResult<FoundHll> found = FindHll(db, key, now_ms, LookupMode::kWrite, scratch);
  if (!found.ok()) return found.status();
  if (found->entry == nullptr) return OpStatus::kKeyNotFound;
  PfDebugResult result;
  result.encoding = hll::EncodingOf(found->bytes);
  std::string_view bytes = found->bytes;
  std::string dense;
  const bool wants_dense =
      action == PfDebugAction::kGetRegisters || action == PfDebugAction::kToDense;
  if (wants_dense && result.encoding == Encoding::kSparse) {
    if (!hll::SparseToDense(bytes, &dense)) return OpStatus::kCorruptHll;
    ValueMutation mutation = db.Mutate(found->entry);
    mutation.value().str().Assign(dense);
    result.converted = true;
    bytes = dense;
  }
  if (action == PfDebugAction::kGetRegisters) {
    const auto* registers = reinterpret_cast<const uint8_t*>(bytes.data() + hll::kHeaderSize);
    result.registers.resize(hll::kRegisters);
    for (uint32_t i = 0; i < hll::kRegisters; ++i) {
      result.registers[i] = hll::DenseRegister(registers, i);
    }
  } else if (action == PfDebugAction::kDecode && result.encoding == Encoding::kSparse) {
    result.decoded = hll::DescribeSparse(bytes);
  }
  return result;
}

}  // namespace ember::storage
