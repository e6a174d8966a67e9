// Longest common subsequence of two byte strings: the pure part of Redis 7.0's LCS command
// (its string group), with no keyspace access.
//
// Redis fills the whole (|a|+1) x (|b|+1) table of 32-bit prefix lengths and walks it back
// from the bottom-right corner; which subsequence it reports among equally long ones, and
// the matched ranges IDX lists, follow from that walk's tie rule (on a mismatch it steps
// along b unless stepping along a keeps a strictly longer prefix). Compute reproduces the
// walk, so replies are Redis's byte for byte. The length alone needs only two rows.
//
// Pure functions; safe on any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ember::storage::lcs {

// Bytes of the table Redis allocates for inputs of these lengths. Redis refuses (and so does
// the LCS command) when this exceeds proto-max-bulk-len, whatever the options ask.
uint64_t TableBytes(size_t a_length, size_t b_length);

// Whether an input is too long for the table's 32-bit cells ("String too long for LCS").
bool TooLong(size_t length);

// The length of the longest common subsequence, in O(|b|) memory.
uint64_t Length(std::string_view a, std::string_view b);

// One run of consecutive matched bytes: a[a_first..a_last] == b[b_first..b_last].
struct Match {
  uint64_t a_first = 0;
  uint64_t a_last = 0;
  uint64_t b_first = 0;
  uint64_t b_last = 0;
  uint64_t length() const { return a_last - a_first + 1; }
};

struct Result {
  std::string sequence;        // the subsequence itself
  std::vector<Match> matches;  // from the end of the strings backwards, as Redis lists them
};

// The subsequence Redis reports and its runs, keeping only runs of at least
// `min_match_length` bytes (0 keeps all). nullopt when the table cannot be allocated.
// Requires: !TooLong(a.size()) && !TooLong(b.size()).
std::optional<Result> Compute(std::string_view a, std::string_view b, uint64_t min_match_length);

}  // namespace ember::storage::lcs
