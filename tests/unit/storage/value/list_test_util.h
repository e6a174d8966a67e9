// Helpers shared by the ListValue tests: one random edit applied to a list and to a
// std::deque model alike.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>

#include "storage/value/list_value.h"

namespace ember::storage {

// Applies one random operation (a push at either end, a pop, an insert, a set, an erase of
// up to max_erase elements, or a read) to `list` and `model`; `value` makes new elements.
// A pop or read that disagrees with the model fails the test (check HasFatalFailure()).
template <typename Rng, typename ValueFn>
void RandomListEdit(ListValue& list, std::deque<std::string>& model, Rng& rng, ValueFn&& value,
                    int fill, size_t max_erase) {
  using End = ListValue::End;
  const size_t n = model.size();
  switch (rng() % 7) {
    case 0: {
      const std::string v = value();
      list.Push(End::kFront, v, fill);
      model.push_front(v);
      break;
    }
    case 1: {
      const std::string v = value();
      list.Push(End::kBack, v, fill);
      model.push_back(v);
      break;
    }
    case 2:
      if (n > 0) {
        const bool front = rng() % 2 == 0;
        ASSERT_EQ(list.Pop(front ? End::kFront : End::kBack), front ? model.front() : model.back());
        front ? model.pop_front() : model.pop_back();
      }
      break;
    case 3: {
      const size_t at = rng() % (n + 1);
      const std::string v = value();
      list.Insert(at, v, fill);
      model.insert(model.begin() + static_cast<long>(at), v);
      break;
    }
    case 4:
      if (n > 0) {
        const size_t at = rng() % n;
        const std::string v = value();
        list.Set(at, v);
        model[at] = v;
      }
      break;
    case 5:
      if (n > 0) {
        const size_t at = rng() % n;
        const size_t count = rng() % (max_erase + 1);
        list.Erase(at, count);
        model.erase(model.begin() + static_cast<long>(at),
                    model.begin() + static_cast<long>(std::min(n, at + count)));
      }
      break;
    default:
      if (n > 0) {
        const size_t at = rng() % n;
        NumberBuffer scratch;
        ASSERT_EQ(list.Get(at).View(scratch), model[at]) << "index " << at;
      }
      break;
  }
  ASSERT_EQ(list.Size(), model.size());
}

}  // namespace ember::storage
