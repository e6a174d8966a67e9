#include "storage/ops/sort_math.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace ember::storage::sort {

std::optional<double> ParseScore(std::string_view text) {
  // strtod needs a terminator; a NUL inside the text ends it there, as in Redis.
  const std::string terminated(text);
  char* end = nullptr;
  errno = 0;
  const double score = std::strtod(terminated.c_str(), &end);
  if (*end != '\0' || errno == ERANGE || std::isnan(score)) return std::nullopt;
  return score;
}

Window ClampLimit(int64_t offset, int64_t count, int64_t size) {
  int64_t start = std::min(std::max<int64_t>(offset, 0), size);
  const int64_t clamped_count = std::min(std::max<int64_t>(count, -1), size);
  int64_t end = clamped_count < 0 ? size - 1 : start + clamped_count - 1;
  if (start >= size) {
    start = size - 1;
    end = size - 2;
  }
  if (end >= size) end = size - 1;
  return {start, std::max<int64_t>(end - start + 1, 0)};
}

Pattern::Pattern(std::string_view pattern) {
  if (pattern == "#") {
    kind_ = Kind::kElement;
    return;
  }
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return;
  prefix_ = pattern.substr(0, star);
  std::string_view rest = pattern.substr(star + 1);
  const size_t arrow = rest.find("->");
  // "->" at the very end names no field: it is part of the key.
  if (arrow != std::string_view::npos && arrow + 2 < rest.size()) {
    field_ = rest.substr(arrow + 2);
    rest = rest.substr(0, arrow);
    kind_ = Kind::kHashField;
  } else {
    kind_ = Kind::kString;
  }
  suffix_ = rest;
}

std::string Pattern::KeyFor(std::string_view element) const {
  std::string key;
  key.reserve(prefix_.size() + element.size() + suffix_.size());
  key.append(prefix_).append(element).append(suffix_);
  return key;
}

namespace {

int BinaryCompare(std::string_view a, std::string_view b) {
  const int cmp = a.compare(b);
  return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}

// strcoll in the C locale: strcmp of the texts up to their first NUL.
int Collate(std::string_view a, std::string_view b) {
  return BinaryCompare(a.substr(0, a.find('\0')), b.substr(0, b.find('\0')));
}

int CompareUnordered(const Item& a, const Item& b, const Order& order) {
  if (!order.alpha) {
    if (a.score != b.score) return a.score > b.score ? 1 : -1;
    return BinaryCompare(a.element, b.element);
  }
  if (order.by_pattern) {
    if (!a.by.has_value() || !b.by.has_value()) {
      if (a.by.has_value() == b.by.has_value()) return 0;
      return a.by.has_value() ? 1 : -1;
    }
    return order.binary ? BinaryCompare(*a.by, *b.by) : Collate(*a.by, *b.by);
  }
  return order.binary ? BinaryCompare(a.element, b.element) : Collate(a.element, b.element);
}

}  // namespace

int Compare(const Item& a, const Item& b, const Order& order) {
  const int cmp = CompareUnordered(a, b, order);
  return order.desc ? -cmp : cmp;
}

void SortItems(std::vector<Item>& items, const Order& order) {
  std::stable_sort(items.begin(), items.end(),
                   [&order](const Item& a, const Item& b) { return Compare(a, b, order) < 0; });
}

}  // namespace ember::storage::sort
