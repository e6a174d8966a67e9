// Number parsing and printing with Redis's exact rules, shared by value encoding,
// INCR/INCRBYFLOAT and argument parsing, so that "what is an integer" has one answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ember::storage {

// Redis's string2ll: optional '-', digits, no leading zeros (except "0"), no '+', no spaces,
// within int64. "-0" is rejected. Empty is rejected.
std::optional<int64_t> ParseInt64(std::string_view s);

// Decimal rendering into `out` (at least 21 bytes); returns the length.
size_t FormatInt64(int64_t value, char* out);
std::string Int64ToString(int64_t value);

// Redis's string2ld: the whole string must be a finite or infinite long double as strtold
// reads it, with no leading space; "nan" is rejected. Used by INCRBYFLOAT.
std::optional<long double> ParseLongDouble(std::string_view s);
// Redis's ld2string in LD_STR_HUMAN mode ("%.17Lf" with trailing zeros and a trailing
// dot removed): what INCRBYFLOAT stores and replies.
std::string FormatLongDoubleHuman(long double value);

// Redis's fixedpoint_d2string: `value` rounded to `fractional_digits` (1..17) decimals,
// llrint of the scaled value printed with exactly that many digits after the point ("0.0000"
// for zero or a value that rounds to it, never "-0.0000"). How GEO replies distances.
std::string FormatFixedPoint(double value, int fractional_digits);

// Redis's string2d / strtod-based parsing for double arguments; rejects NaN and spaces.
std::optional<double> ParseDouble(std::string_view s);

// How a sorted set's listpack stores a score, as Redis's zzlInsertAt writes it: an integral
// value within +-2^62 (-0.0 included, as 0) as an integer, otherwise d2string's "inf",
// "-inf" or "%.17g".
std::string FormatScore(double value);
// Redis's ld2string in LD_STR_AUTO mode applied to a double ("%.17g"; "inf", "-inf"): how
// ZSCAN shows the score of a sorted set kept as a skiplist.
std::string FormatDoubleExact(double value);

}  // namespace ember::storage
