#include "tests/compat/reply_match.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

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
    case Reply::Type::kMap:
    case Reply::Type::kSet:
    case Reply::Type::kPush:
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
  if (sorted.type != Reply::Type::kMap) {
    std::sort(sorted.elements.begin(), sorted.elements.end(),
              [](const Reply& x, const Reply& y) { return x.ToString() < y.ToString(); });
    return sorted;
  }
  // A map's entries move as key/value pairs, ordered by key then value.
  std::vector<std::pair<Reply, Reply>> entries;
  for (size_t i = 0; i + 1 < sorted.elements.size(); i += 2) {
    entries.emplace_back(sorted.elements[i], sorted.elements[i + 1]);
  }
  std::sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) {
    const std::string xk = x.first.ToString();
    const std::string yk = y.first.ToString();
    return xk != yk ? xk < yk : x.second.ToString() < y.second.ToString();
  });
  sorted.elements.clear();
  for (auto& [key, value] : entries) {
    sorted.elements.push_back(std::move(key));
    sorted.elements.push_back(std::move(value));
  }
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
