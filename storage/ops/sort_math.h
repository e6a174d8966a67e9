// The pure part of Redis 7.0's SORT and SORT_RO (sort.c): reading a weight as a number, the
// LIMIT window, BY/GET patterns, and the order elements are sorted in. No keyspace access
// (sort_ops.h does the lookups).
//
// Pure functions; safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ember::storage::sort {

// A weight read as Redis reads it, with strtod: leading blanks, hexadecimal and "inf" are
// accepted, the empty string is 0; trailing bytes (a NUL ends the text), NaN, overflow and
// underflow are not (nullopt: "One or more scores can't be converted into double").
std::optional<double> ParseScore(std::string_view text);

// The elements LIMIT offset count selects out of `size`: [start, start + count). A negative
// offset counts as 0 and a negative count as "to the end", as Redis clamps them.
struct Window {
  int64_t start = 0;
  int64_t count = 0;
};
Window ClampLimit(int64_t offset, int64_t count, int64_t size);

// A BY or GET pattern. "#" stands for the element itself; otherwise the first '*' is
// replaced by the element to name a key, and a "->field" after that '*' reads a field of
// the hash there instead of a string. A pattern without '*' names no key.
class Pattern {
 public:
  enum class Kind : uint8_t { kElement, kNoKey, kString, kHashField };

  explicit Pattern(std::string_view pattern);
  Kind kind() const { return kind_; }
  // The key for `element`. Requires: kind() is kString or kHashField.
  std::string KeyFor(std::string_view element) const;
  // Requires: kind() == kHashField.
  std::string_view field() const { return field_; }

 private:
  Kind kind_ = Kind::kNoKey;
  std::string_view prefix_;
  std::string_view suffix_;
  std::string_view field_;
};

// One element being sorted, with its weight: `score` for a numeric sort, `by` (the BY
// lookup's text, nullopt when it found nothing) for an alphabetic sort by pattern.
struct Item {
  std::string element = {};
  double score = 0;
  std::optional<std::string> by = std::nullopt;
};

struct Order {
  bool alpha = false;
  bool by_pattern = false;  // alphabetic: compare `by` rather than the elements
  bool binary = false;      // alphabetic: memcmp order (STORE) rather than collation
  bool desc = false;
};

// Redis's comparison, negative/0/positive: numbers by score, ties by the elements' bytes;
// alphabetic by the elements or by `by` (a missing `by` first). Collation is the C locale's
// strcoll, which stops at a NUL byte.
int Compare(const Item& a, const Item& b, const Order& order);

// Sorts `items` by Compare, keeping the order of equal items.
void SortItems(std::vector<Item>& items, const Order& order);

}  // namespace ember::storage::sort
