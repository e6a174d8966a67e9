#include "storage/ops/hll_selftest.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <random>
#include <string_view>
#include <vector>

#include "storage/ops/hll_estimate.h"
#include "storage/ops/hll_format.h"
#include "storage/ops/hll_sparse.h"

namespace ember::storage::hll {
namespace {

constexpr int kRegisterRounds = 1000;
constexpr uint64_t kElements = 10000000;

std::optional<std::string> CheckRegisterAccess(std::mt19937_64& random) {
  std::vector<uint8_t> registers(kDenseRegisterBytes);
  std::array<uint8_t, kRegisters> expected{};
  for (int round = 0; round < kRegisterRounds; ++round) {
    for (uint32_t i = 0; i < kRegisters; ++i) {
      expected[i] = static_cast<uint8_t>(random() & kRegisterMax);
      SetDenseRegister(registers.data(), i, expected[i]);
    }
    for (uint32_t i = 0; i < kRegisters; ++i) {
      const uint8_t value = DenseRegister(registers.data(), i);
      if (value != expected[i]) {
        return fmt::format("TESTFAILED Register {} should be {} but is {}", i, expected[i], value);
      }
    }
  }
  return std::nullopt;
}

uint64_t Estimate(std::string_view hll) {
  uint64_t cardinality = 0;
  static_cast<void>(EstimateHll(hll, &cardinality));
  return cardinality;
}

std::optional<std::string> CheckEstimates(size_t sparse_max_bytes, uint64_t seed) {
  std::string dense;
  static_cast<void>(SparseToDense(NewSparseHll(), &dense));
  auto* dense_registers = reinterpret_cast<uint8_t*>(dense.data() + kHeaderSize);
  std::string adaptive = NewSparseHll();
  const double relative_error = 1.04 / std::sqrt(static_cast<double>(kRegisters));
  uint64_t checkpoint = 1;
  for (uint64_t j = 1; j <= kElements; ++j) {
    // The element is the 8 bytes of j ^ seed in the host's order, as Redis hashes them.
    const uint64_t element = j ^ seed;
    const Observation seen =
        Observe(std::string_view(reinterpret_cast<const char*>(&element), sizeof(element)));
    if (seen.count > DenseRegister(dense_registers, seen.index)) {
      SetDenseRegister(dense_registers, seen.index, seen.count);
    }
    if (EncodingOf(adaptive) == Encoding::kSparse) {
      static_cast<void>(SetSparseRegister(adaptive, seen.index, seen.count, sparse_max_bytes));
    } else {
      auto* registers = reinterpret_cast<uint8_t*>(adaptive.data() + kHeaderSize);
      if (seen.count > DenseRegister(registers, seen.index)) {
        SetDenseRegister(registers, seen.index, seen.count);
      }
    }
    if (j != checkpoint) continue;
    if (j < sparse_max_bytes / 2 && EncodingOf(adaptive) != Encoding::kSparse) {
      return std::string("TESTFAILED sparse encoding not used");
    }
    const uint64_t estimate = Estimate(dense);
    if (estimate != Estimate(adaptive)) return std::string("TESTFAILED dense/sparse disagree");
    const auto error = static_cast<uint64_t>(
        std::llabs(static_cast<int64_t>(checkpoint) - static_cast<int64_t>(estimate)));
    uint64_t max_error =
        static_cast<uint64_t>(std::ceil(relative_error * 6 * static_cast<double>(checkpoint)));
    // Ten elements collide now and then: an error of one stays within the test's intent.
    if (j == 10) max_error = 1;
    if (error > max_error) {
      return fmt::format("TESTFAILED Too big error. card:{} abserr:{}", checkpoint, error);
    }
    checkpoint *= 10;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> RunSelfTest(size_t sparse_max_bytes, uint64_t seed) {
  std::mt19937_64 random(seed);
  if (auto failure = CheckRegisterAccess(random)) return failure;
  return CheckEstimates(sparse_max_bytes, random());
}

}  // namespace ember::storage::hll
