#include "storage/ops/lcs_math.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <new>

namespace ember::storage::lcs {

uint64_t TableBytes(size_t a_length, size_t b_length) {
  // Saturates rather than wraps: any product past 2^64 is refused anyway.
  uint64_t cells = 0;
  uint64_t bytes = 0;
  if (__builtin_mul_overflow(uint64_t{a_length} + 1, uint64_t{b_length} + 1, &cells) ||
      __builtin_mul_overflow(cells, uint64_t{sizeof(uint32_t)}, &bytes)) {
    return std::numeric_limits<uint64_t>::max();
  }
  return bytes;
}

bool TooLong(size_t length) { return uint64_t{length} >= std::numeric_limits<uint32_t>::max() - 1; }

uint64_t Length(std::string_view a, std::string_view b) {
  std::vector<uint32_t> previous(b.size() + 1, 0);
  std::vector<uint32_t> current(b.size() + 1, 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      current[j] =
          a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : std::max(previous[j], current[j - 1]);
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

namespace {

// The full table: cell (i, j) holds the length of the LCS of a[0..i) and b[0..j).
class Table {
 public:
  Table(std::string_view a, std::string_view b) : width_(b.size() + 1) {
    const size_t cells = (a.size() + 1) * width_;
    cells_.reset(new (std::nothrow) uint32_t[cells]);
    if (!cells_) return;
    for (size_t i = 0; i <= a.size(); ++i) {
      for (size_t j = 0; j <= b.size(); ++j) {
        uint32_t& cell = At(i, j);
        if (i == 0 || j == 0) {
          cell = 0;
        } else if (a[i - 1] == b[j - 1]) {
          cell = At(i - 1, j - 1) + 1;
        } else {
          cell = std::max(At(i - 1, j), At(i, j - 1));
        }
      }
    }
  }
  bool allocated() const { return cells_ != nullptr; }
  uint32_t& At(size_t i, size_t j) { return cells_[i * width_ + j]; }

 private:
  size_t width_;
  std::unique_ptr<uint32_t[]> cells_;
};

}  // namespace

std::optional<Result> Compute(std::string_view a, std::string_view b, uint64_t min_match_length) {
  Table table(a, b);
  if (!table.allocated()) return std::nullopt;
  Result result;
  size_t remaining = table.At(a.size(), b.size());
  result.sequence.assign(remaining, '\0');
  // The run being grown backwards; closed runs are emitted when the walk leaves them.
  bool open = false;
  Match run;
  size_t i = a.size();
  size_t j = b.size();
  while (i > 0 && j > 0) {
    bool emit = false;
    if (a[i - 1] == b[j - 1]) {
      result.sequence[--remaining] = a[i - 1];
      if (!open) {
        open = true;
        run = {i - 1, i - 1, j - 1, j - 1};
      } else if (run.a_first == i && run.b_first == j) {
        --run.a_first;
        --run.b_first;
      } else {
        emit = true;  // a match not adjacent to the run (the walk never makes one)
      }
      // A run that reached the start of either string cannot grow further.
      if (run.a_first == 0 || run.b_first == 0) emit = true;
      --i;
      --j;
    } else {
      if (table.At(i - 1, j) > table.At(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      emit = open;
    }
    if (emit) {
      if (min_match_length == 0 || run.length() >= min_match_length) {
        result.matches.push_back(run);
      }
      open = false;
    }
  }
  return result;
}

}  // namespace ember::storage::lcs
