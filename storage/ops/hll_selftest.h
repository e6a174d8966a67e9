// PFSELFTEST's checks of the HyperLogLog implementation, the ones Redis 7.0 runs:
//   1. dense registers: a thousand rounds of random values written to every register and
//      read back, so a write that spills into a neighbour is caught;
//   2. estimates: ten million distinct elements added to a dense and a sparse HLL side by
//      side; at 1, 10, 100... elements the sparse one must still be sparse while small
//      (under half of `sparse_max_bytes` elements), both must estimate the same, and the
//      error must stay within six standard errors (1 at ten elements).
// Takes about a second of CPU, as in Redis; the command blocks the server meanwhile.
//
// Pure; safe on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace ember::storage::hll {

// Nullopt when every check passes, otherwise the failure, worded as Redis words it
// ("TESTFAILED ..."). `seed` picks the random register values and elements.
std::optional<std::string> RunSelfTest(size_t sparse_max_bytes, uint64_t seed);

}  // namespace ember::storage::hll
