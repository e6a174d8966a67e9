// Fuzz target: Intset::FromBytes (storage/value/intset.h).
//
// Claims, for any bytes:
// - FromBytes returns an Intset or an error, never crashes or reads out of bounds;
// - what it accepts is strictly ascending, every member is found, and the bytes are kept;
// - edits keep it valid: adding a value of every width and removing members leaves bytes
//   that pass FromBytes again, in ascending order.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "storage/value/intset.h"

namespace {

using ember::storage::Intset;

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "intset_fuzz: %s\n", what);
  std::abort();
}

void CheckSorted(const Intset& set) {
  for (size_t i = 1; i < set.size(); ++i) Check(set.At(i - 1) < set.At(i), "not ascending");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view blob(reinterpret_cast<const char*>(data), size);
  std::string error;
  std::optional<Intset> set = Intset::FromBytes(blob, &error);
  if (!set.has_value()) {
    Check(!error.empty(), "rejected without a reason");
    return 0;
  }
  Check(set->bytes() == blob, "bytes not kept");
  CheckSorted(*set);
  for (size_t i = 0; i < set->size(); ++i) Check(set->Contains(set->At(i)), "member missing");

  const size_t before = set->size();
  const int64_t first = set->At(0);
  Check(set->Remove(first), "Remove missed the first member");
  Check(!set->Contains(first), "removed member still present");
  for (const int64_t v : {int64_t{7}, int64_t{-40000}, std::numeric_limits<int64_t>::min(),
                          std::numeric_limits<int64_t>::max(), first}) {
    set->Add(v);
    Check(set->Contains(v), "added member missing");
  }
  Check(set->size() >= before, "members lost");
  CheckSorted(*set);
  Check(Intset::FromBytes(set->bytes(), &error).has_value(), "edited intset invalid");
  return 0;
}
