#include "tests/compat/reply_match.h"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace ember::test {
namespace {

// Walks both replies in parallel; integers compare with `same_integer`, everything else
// exactly.
template <typename IntegerCheck>
bool MatchIntegers(const Reply& a, const Reply& b, const IntegerCheck& same_integer) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case Reply::Type::kInteger:
      return same_integer(a.integer, b.integer);
    case Reply::Type::kArray:
      if (a.elements.size() != b.elements.size()) return false;
      for (size_t i = 0; i < a.elements.size(); ++i) {
        if (!MatchIntegers(a.elements[i], b.elements[i], same_integer)) return false;
      }
      return true;
    default:
      return a == b;
  }
}

}  // namespace

Reply SortedReply(const Reply& reply) {
  Reply sorted = reply;
  for (Reply& element : sorted.elements) element = SortedReply(element);
  std::sort(sorted.elements.begin(), sorted.elements.end(),
            [](const Reply& x, const Reply& y) { return x.ToString() < y.ToString(); });
  return sorted;
}

bool SameShape(const Reply& a, const Reply& b) {
  if (a.type != b.type || a.elements.size() != b.elements.size()) return false;
  for (size_t i = 0; i < a.elements.size(); ++i) {
    if (!SameShape(a.elements[i], b.elements[i])) return false;
  }
  return true;
}

bool RepliesMatch(const CaseLine& line, const Reply& actual, const Reply& expected) {
  switch (line.mode) {
    case CompareMode::kExact:
      return actual == expected;
    case CompareMode::kType:
      return SameShape(actual, expected);
    case CompareMode::kSorted:
      return SortedReply(actual) == SortedReply(expected);
    case CompareMode::kNear:
      return MatchIntegers(actual, expected, [&](long long x, long long y) {
        // Differences of far-apart values would overflow; those never match anyway.
        if ((x < 0) != (y < 0)) return x == y;
        return (x > y ? x - y : y - x) <= line.tolerance;
      });
    case CompareMode::kSign:
      return MatchIntegers(actual, expected, [](long long x, long long y) {
        if (x <= 0 || y <= 0) return x == y;
        return true;
      });
    case CompareMode::kIgnore:
      return true;
  }
  return false;
}

}  // namespace ember::test
