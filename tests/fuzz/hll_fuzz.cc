// Fuzz target: the HyperLogLog string decoder and editor (storage/ops/hll_format.h,
// hll_sparse.h, hll_estimate.h), which read strings any client can SET.
//
// Input: the first byte chooses how the rest is read: odd, as a whole string; even, as
// sparse opcodes behind a valid sparse header (so most inputs reach the opcode walkers).
// Claims, for any bytes:
// - the header check, the estimate, the merge, DECODE's text and the dense conversion never
//   crash or read outside the string;
// - a sparse string that converts to dense has the same histogram, hence the same estimate,
//   in both forms; one that does not is refused by the estimate and the merge alike;
// - register edits (SetSparseRegister, with a small and the default size limit) keep a
//   valid string valid, raise exactly the register asked and leave the others alone, and
//   never let a sparse string outgrow the limit; on a corrupt string they never crash.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/ops/hll_estimate.h"
#include "storage/ops/hll_format.h"
#include "storage/ops/hll_sparse.h"

namespace {

namespace hll = ember::storage::hll;

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "hll_fuzz: %s\n", what);
  std::abort();
}

// Whether the last opcode of a sparse string is an XZERO missing its second byte. Redis
// reads that byte as zero and, when it edits that opcode, splices as if it were there, so
// such a string may change more than the register edited (Ember does as Redis does).
bool EndsInCutXZero(std::string_view bytes) {
  size_t pos = hll::kHeaderSize;
  while (pos < bytes.size()) pos += hll::sparse_internal::DecodeOpcode(bytes, pos).bytes;
  return pos > bytes.size();
}

// The registers of a valid string, one byte each.
std::array<uint8_t, hll::kRegisters> Registers(std::string_view bytes) {
  std::array<uint8_t, hll::kRegisters> registers{};
  Check(hll::MergeInto(bytes, &registers), "a valid string failed to merge");
  return registers;
}

void CheckEdits(std::string hll_string, bool valid, size_t max_bytes, uint32_t seed) {
  for (int i = 0; i < 8; ++i) {
    seed = seed * 1103515245u + 12345u;
    const uint32_t index = (seed >> 8) % hll::kRegisters;
    const auto count = static_cast<uint8_t>(1 + (seed >> 24) % hll::kRegisterMax);
    const std::array<uint8_t, hll::kRegisters> before =
        valid ? Registers(hll_string) : std::array<uint8_t, hll::kRegisters>{};
    if (hll::EncodingOf(hll_string) == hll::Encoding::kDense) {
      auto* registers = reinterpret_cast<uint8_t*>(hll_string.data() + hll::kHeaderSize);
      if (count > hll::DenseRegister(registers, index)) {
        hll::SetDenseRegister(registers, index, count);
      }
    } else {
      const std::string previous = hll_string;
      const hll::SetOutcome outcome = hll::SetSparseRegister(hll_string, index, count, max_bytes);
      if (outcome == hll::SetOutcome::kCorrupt) {
        Check(!valid, "a valid string was found corrupt");
        Check(hll_string == previous, "a corrupt edit changed the string");
        return;
      }
      if (hll::EncodingOf(hll_string) == hll::Encoding::kSparse && hll_string != previous) {
        Check(hll_string.size() <= std::max(max_bytes, previous.size()),
              "a sparse string outgrew its limit");
      }
    }
    Check(hll::IsHllString(hll_string), "an edit broke the header");
    if (!valid) continue;
    const std::array<uint8_t, hll::kRegisters> after = Registers(hll_string);
    for (uint32_t r = 0; r < hll::kRegisters; ++r) {
      const uint8_t expected = r == index ? std::max(before[r], count) : before[r];
      Check(after[r] == expected, "an edit changed the wrong registers");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string bytes;
  if ((data[0] & 1) != 0) {
    bytes.assign(rest);
  } else {
    bytes = hll::NewSparseHll().substr(0, hll::kHeaderSize);
    bytes.append(rest);
  }
  if (!hll::IsHllString(bytes)) return 0;

  bool valid = true;
  uint64_t estimate = 0;
  if (hll::EncodingOf(bytes) == hll::Encoding::kSparse) {
    static_cast<void>(hll::DescribeSparse(bytes));
    std::string dense;
    valid = hll::SparseToDense(bytes, &dense);
    hll::Histogram sparse_histogram{};
    Check(hll::SparseHistogram(bytes, &sparse_histogram) == valid, "validity disagrees");
    std::array<uint8_t, hll::kRegisters> merged{};
    Check(hll::MergeInto(bytes, &merged) == valid, "merge validity disagrees");
    Check(hll::EstimateHll(bytes, &estimate) == valid, "estimate validity disagrees");
    if (valid) {
      Check(hll::IsHllString(dense), "conversion gave a bad header");
      Check(hll::DenseHistogram(dense) == sparse_histogram, "histograms disagree");
      uint64_t dense_estimate = 0;
      Check(hll::EstimateHll(dense, &dense_estimate), "dense estimate failed");
      Check(dense_estimate == estimate, "estimates disagree");
    }
  } else {
    Check(hll::EstimateHll(bytes, &estimate), "a dense estimate failed");
  }
  const uint32_t seed = size > 1 ? data[size - 1] * 2654435761u : 1u;
  if (valid && hll::EncodingOf(bytes) == hll::Encoding::kSparse && EndsInCutXZero(bytes)) {
    valid = false;  // well-formed enough to count, not to edit predictably
  }
  CheckEdits(bytes, valid, 100, seed);
  CheckEdits(bytes, valid, 3000, seed + 1);
  return 0;
}
