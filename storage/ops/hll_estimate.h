// Cardinality estimation for HyperLogLogs, as Redis 7.0 computes it, to the same integer:
// a histogram of the register values, then Otmar Ertl's improved raw estimator ("New
// cardinality estimation algorithms for HyperLogLog sketches", arXiv:1702.01284), which
// needs no bias tables and no small- or large-range switch.
//
// Why the histogram: the estimator depends only on how many registers hold each value, so
// counting those once (a few table increments per 3 bytes of a dense array) is the whole
// cost of PFCOUNT; the rest is fifty-odd floating-point steps. Only values 0..kRunBits + 1
// are counted by the estimator (a hash cannot produce more); Redis ignores larger values a
// hand-made dense string may hold, and so does this.
//
// Pure functions; safe on any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "storage/ops/hll_format.h"

namespace ember::storage::hll {

// How many registers hold each value 0..63.
using Histogram = std::array<uint32_t, 64>;

// The histogram of a dense string. Requires: IsHllString(hll), dense.
Histogram DenseHistogram(std::string_view hll);
// The histogram of a sparse string, or false when its opcodes do not cover exactly 16384
// registers. Requires: IsHllString(hll), sparse.
bool SparseHistogram(std::string_view hll, Histogram* histogram);
// The histogram of one byte per register (what PFCOUNT of several keys merges into).
Histogram ByteHistogram(const std::array<uint8_t, kRegisters>& registers);

// The estimated cardinality from a histogram of kRegisters registers.
uint64_t EstimateCardinality(const Histogram& histogram);

// The estimate for an HLL string, ignoring its cache; false when a sparse one is corrupt.
// Requires: IsHllString(hll).
bool EstimateHll(std::string_view hll, uint64_t* cardinality);

// Raises each of `max`'s registers to the HLL's where that is higher (Redis's hllMerge);
// false when a sparse one is corrupt (then `max` may be partly raised). Requires:
// IsHllString(hll).
bool MergeInto(std::string_view hll, std::array<uint8_t, kRegisters>* max);

}  // namespace ember::storage::hll
