// Redis's pqsort (its Bentley & McIlroy quicksort that recurses only into the parts that
// overlap a wanted range), reproduced step for step so that elements comparing equal land
// where Redis puts them: GEOSEARCH ... COUNT sorts its matches this way, and among members
// at the same distance the ones a COUNT keeps depend on it.
//
// Sorts the indexes 0..n-1 of a sequence by `compare(i, j)` (negative, zero or positive,
// like qsort's comparator over elements i and j) so that positions first..last hold what a
// full sort would put there; the other positions are partitioned around them. Returns the
// permutation: result[k] is the index of the element that ends up at position k.
// Pure; safe on any thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <numeric>
#include <utility>
#include <vector>

namespace ember::storage {

template <typename Compare>
std::vector<size_t> PartialQuicksort(size_t n, size_t first, size_t last, Compare compare) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  if (n == 0) return order;
  size_t* const origin = order.data();
  auto cmp = [&compare](const size_t* a, const size_t* b) { return compare(*a, *b); };
  auto med3 = [&cmp](size_t* a, size_t* b, size_t* c) {
    return cmp(a, b) < 0 ? (cmp(b, c) < 0 ? b : (cmp(a, c) < 0 ? c : a))
                         : (cmp(b, c) > 0 ? b : (cmp(a, c) < 0 ? a : c));
  };
  auto vecswap = [](size_t* a, size_t* b, ptrdiff_t count) {
    for (ptrdiff_t i = 0; i < count; ++i) std::swap(a[i], b[i]);
  };
  // Whether [s, e] (positions) holds any of first..last.
  auto wanted = [&](const size_t* s, const size_t* e) {
    return !(origin + last < s || origin + first > e);
  };
  auto sort = [&](auto& self, size_t* a, size_t count) -> void {
    for (;;) {
      if (count < 7) {
        for (size_t* pm = a + 1; pm < a + count; ++pm) {
          for (size_t* pl = pm; pl > a && cmp(pl - 1, pl) > 0; --pl) std::swap(*pl, *(pl - 1));
        }
        return;
      }
      size_t* pm = a + count / 2;
      if (count > 7) {
        size_t* pl = a;
        size_t* pn = a + count - 1;
        if (count > 40) {
          const size_t d = count / 8;
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      std::swap(*a, *pm);
      size_t* pa = a + 1;
      size_t* pb = a + 1;
      size_t* pc = a + count - 1;
      size_t* pd = a + count - 1;
      for (;;) {
        int r;
        while (pb <= pc && (r = cmp(pb, a)) <= 0) {
          if (r == 0) std::swap(*pa++, *pb);
          ++pb;
        }
        while (pb <= pc && (r = cmp(pc, a)) >= 0) {
          if (r == 0) std::swap(*pc, *pd--);
          --pc;
        }
        if (pb > pc) break;
        std::swap(*pb++, *pc--);
      }
      size_t* const pn = a + count;
      ptrdiff_t r = std::min(pa - a, pb - pa);
      vecswap(a, pb - r, r);
      r = std::min(pd - pc, pn - pd - 1);
      vecswap(pb, pn - r, r);
      if ((r = pb - pa) > 1 && wanted(a, a + r - 1)) self(self, a, static_cast<size_t>(r));
      if ((r = pd - pc) <= 1) return;
      a = pn - r;  // iterate on the right part rather than recurse
      count = static_cast<size_t>(r);
      if (!wanted(a, a + r - 1)) return;
    }
  };
  sort(sort, origin, n);
  return order;
}

}  // namespace ember::storage
