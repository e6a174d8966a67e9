#include "storage/ops/hll_estimate.h"

#include <cmath>
#include <limits>

#include "storage/ops/hll_sparse.h"

namespace ember::storage::hll {
namespace {

// 0.5 / ln(2): the estimator's constant for an unbounded number of registers.
constexpr double kAlphaInf = 0.721347520444481703680;
// 2^63: the first value a long long cannot hold.
constexpr double kNoLongLong = 9223372036854775808.0;

// Ertl's sigma(x) = x + sum over k >= 1 of x^(2^k) * 2^(k-1), summed until it stops moving.
double Sigma(double x) {
  if (x == 1.0) return std::numeric_limits<double>::infinity();
  double y = 1.0;
  double z = x;
  double previous = 0.0;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous != z);
  return z;
}

// Ertl's tau(x) = (1 - x - sum over k >= 1 of (1 - x^(2^-k))^2 * 2^-k) / 3, likewise.
double Tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1.0 - x;
  double previous = 0.0;
  do {
    x = std::sqrt(x);
    previous = z;
    y *= 0.5;
    z -= std::pow(1.0 - x, 2) * y;
  } while (previous != z);
  return z / 3.0;
}

Histogram Sum(const std::array<Histogram, 4>& partial) {
  Histogram total{};
  for (const Histogram& part : partial) {
    for (size_t value = 0; value < total.size(); ++value) total[value] += part[value];
  }
  return total;
}

}  // namespace

Histogram DenseHistogram(std::string_view hll) {
  // Four registers in every three bytes, each counted in its own partial histogram: most
  // registers share a few values, and one table's increments would wait on each other.
  std::array<Histogram, 4> partial{};
  const auto* r = reinterpret_cast<const uint8_t*>(hll.data() + kHeaderSize);
  for (size_t i = 0; i < kDenseRegisterBytes; i += 3, r += 3) {
    ++partial[0][r[0] & 63];
    ++partial[1][((r[0] >> 6) | (r[1] << 2)) & 63];
    ++partial[2][((r[1] >> 4) | (r[2] << 4)) & 63];
    ++partial[3][(r[2] >> 2) & 63];
  }
  return Sum(partial);
}

bool SparseHistogram(std::string_view hll, Histogram* histogram) {
  *histogram = Histogram{};
  uint32_t nonzero = 0;
  const bool valid = ForEachSparseValue(hll, [&](uint32_t, uint32_t run, uint8_t value) {
    (*histogram)[value] += run;
    nonzero += run;
  });
  if (!valid) return false;
  (*histogram)[0] = kRegisters - nonzero;
  return true;
}

Histogram ByteHistogram(const std::array<uint8_t, kRegisters>& registers) {
  std::array<Histogram, 4> partial{};
  for (size_t i = 0; i < kRegisters; i += 4) {
    for (size_t j = 0; j < 4; ++j) ++partial[j][registers[i + j] & 63];
  }
  return Sum(partial);
}

uint64_t EstimateCardinality(const Histogram& histogram) {
  constexpr double m = kRegisters;
  double z = m * Tau((m - histogram[kRunBits + 1]) / m);
  for (int j = kRunBits; j >= 1; --j) {
    z += histogram[j];
    z *= 0.5;
  }
  z += m * Sigma(histogram[0] / m);
  const double estimate = kAlphaInf * m * m / z;
  // Every register at the longest run (z is 0) gives an infinite estimate. Redis rounds it
  // with llroundl, which on x86-64 answers LLONG_MIN for anything beyond a long long, and
  // replies and caches that bit pattern (whose top bit also marks the cache stale).
  if (!(estimate < kNoLongLong)) return uint64_t{1} << 63;
  return static_cast<uint64_t>(std::llround(estimate));
}

bool EstimateHll(std::string_view hll, uint64_t* cardinality) {
  Histogram histogram{};
  if (EncodingOf(hll) == Encoding::kDense) {
    histogram = DenseHistogram(hll);
  } else if (!SparseHistogram(hll, &histogram)) {
    return false;
  }
  *cardinality = EstimateCardinality(histogram);
  return true;
}

bool MergeInto(std::string_view hll, std::array<uint8_t, kRegisters>* max) {
  if (EncodingOf(hll) == Encoding::kSparse) {
    return ForEachSparseValue(hll, [max](uint32_t first, uint32_t run, uint8_t value) {
      for (uint32_t i = first; i < first + run; ++i) (*max)[i] = std::max((*max)[i], value);
    });
  }
  // Four registers in every three bytes, without the per-register shifts' branches.
  const auto* r = reinterpret_cast<const uint8_t*>(hll.data() + kHeaderSize);
  uint8_t* m = max->data();
  for (size_t i = 0; i < kDenseRegisterBytes; i += 3, r += 3, m += 4) {
    m[0] = std::max<uint8_t>(m[0], r[0] & 63);
    m[1] = std::max<uint8_t>(m[1], ((r[0] >> 6) | (r[1] << 2)) & 63);
    m[2] = std::max<uint8_t>(m[2], ((r[1] >> 4) | (r[2] << 4)) & 63);
    m[3] = std::max<uint8_t>(m[3], r[2] >> 2);
  }
  return true;
}

}  // namespace ember::storage::hll
