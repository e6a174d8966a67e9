#include "storage/value/number_format.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace ember::storage {
namespace {

// Redis parses floats from a NUL-terminated copy no longer than this (MAX_LONG_DOUBLE_CHARS).
constexpr size_t kMaxLongDoubleChars = 5 * 1024;

// strtod/strtold report a range error for both overflow and underflow; Redis rejects the
// results that lost the value entirely (an infinity or a zero) and keeps denormals.
template <typename T>
bool LostToRange(T value) {
  return errno == ERANGE && (std::isinf(value) || std::fpclassify(value) == FP_ZERO);
}

}  // namespace

std::optional<int64_t> ParseInt64(std::string_view s) {
  // 20 bytes hold "-9223372036854775808"; anything longer cannot be canonical.
  if (s.empty() || s.size() > 20) return std::nullopt;
  if (s.size() == 1 && s[0] == '0') return 0;
  size_t pos = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    pos = 1;
    if (pos == s.size()) return std::nullopt;
  }
  // The first digit must be 1-9: this rejects leading zeros and "-0".
  if (s[pos] < '1' || s[pos] > '9') return std::nullopt;
  uint64_t magnitude = 0;
  for (; pos < s.size(); ++pos) {
    char c = s[pos];
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (magnitude > kMaxPositive + 1) return std::nullopt;
    if (magnitude == kMaxPositive + 1) return std::numeric_limits<int64_t>::min();
    return -static_cast<int64_t>(magnitude);
  }
  if (magnitude > kMaxPositive) return std::nullopt;
  return static_cast<int64_t>(magnitude);
}

size_t FormatInt64(int64_t value, char* out) {
  auto result = std::to_chars(out, out + 21, value);
  return static_cast<size_t>(result.ptr - out);
}

std::string Int64ToString(int64_t value) {
  char buf[24];
  return std::string(buf, FormatInt64(value, buf));
}

std::optional<long double> ParseLongDouble(std::string_view s) {
  if (s.empty() || s.size() >= kMaxLongDoubleChars) return std::nullopt;
  char buf[kMaxLongDoubleChars];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  // As in Redis, parsing stops at an embedded NUL: the bytes before it must form the number.
  errno = 0;
  char* end = nullptr;
  long double value = std::strtold(buf, &end);
  if (std::isspace(static_cast<unsigned char>(buf[0])) || *end != '\0' || LostToRange(value) ||
      errno == EINVAL || std::isnan(value)) {
    return std::nullopt;
  }
  return value;
}

std::string FormatFixedPoint(double value, int fractional_digits) {
  double scale = 1;
  for (int i = 0; i < fractional_digits; ++i) scale *= 10;
  const long long scaled = std::llrint(value * scale);
  const bool negative = scaled < 0;
  // The magnitude as unsigned, LLONG_MIN included.
  const unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(scaled)
                                                : static_cast<unsigned long long>(scaled);
  std::string digits = std::to_string(magnitude);
  const auto width = static_cast<size_t>(fractional_digits);
  if (digits.size() <= width) digits.insert(0, width + 1 - digits.size(), '0');
  digits.insert(digits.size() - width, 1, '.');
  return negative ? "-" + digits : digits;
}

std::string FormatLongDoubleHuman(long double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // 17 fractional digits: with 80-bit long doubles this renders most short decimals the way
  // a user typed them once the trailing zeros are gone (Redis's LD_STR_HUMAN rule).
  int needed = std::snprintf(nullptr, 0, "%.17Lf", value);
  if (needed <= 0) return std::string();
  std::string out(static_cast<size_t>(needed) + 1, '\0');
  std::snprintf(out.data(), out.size(), "%.17Lf", value);
  out.resize(static_cast<size_t>(needed));
  if (out.find('.') != std::string::npos) {
    size_t last = out.find_last_not_of('0');
    out.resize(last + 1);
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

std::optional<double> ParseDouble(std::string_view s) {
  if (s.empty() || s.size() >= kMaxLongDoubleChars) return std::nullopt;
  char buf[kMaxLongDoubleChars];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  errno = 0;
  char* end = nullptr;
  double value = std::strtod(buf, &end);
  // Unlike string2ld, every byte must be consumed, so an embedded NUL is rejected.
  if (std::isspace(static_cast<unsigned char>(buf[0])) ||
      static_cast<size_t>(end - buf) != s.size() || LostToRange(value) || std::isnan(value)) {
    return std::nullopt;
  }
  return value;
}

std::string FormatScore(double value) {
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0) return "0";  // -0.0 too: double2ll takes it as the integer 0
  // Redis's double2ll: integral and within half of LLONG_MAX.
  constexpr double kHalfRange = static_cast<double>(INT64_MAX / 2);
  if (value >= -kHalfRange && value <= kHalfRange) {
    const auto integral = static_cast<int64_t>(value);
    if (static_cast<double>(integral) == value) return Int64ToString(integral);
  }
  return FormatDoubleExact(value);
}

std::string FormatDoubleExact(double value) {
  char buf[32];
  const int length = std::snprintf(buf, sizeof(buf), "%.17g", value);
  return std::string(buf, static_cast<size_t>(length));
}

}  // namespace ember::storage
