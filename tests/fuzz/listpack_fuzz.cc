// Fuzz target: Listpack::FromBytes (storage/value/listpack.h).
//
// Claims, for any bytes:
// - FromBytes returns a Listpack or an error, never crashes or reads out of bounds;
// - what it accepts can be walked: forward and backward walks visit the same entries, as
//   many as size() says; every entry equals its own text and Find reaches it;
// - edits keep it valid: after Insert, Replace, Delete and Append the bytes pass FromBytes
//   again, and rebuilding the entries by Append gives a listpack that passes too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/value/compact_string.h"
#include "storage/value/listpack.h"

namespace {

using ember::storage::Listpack;
using ember::storage::NumberBuffer;

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "listpack_fuzz: %s\n", what);
  std::abort();
}

std::vector<std::string> Entries(const Listpack& lp) {
  std::vector<std::string> out;
  NumberBuffer scratch;
  for (size_t at = lp.First(); at != Listpack::kNoEntry; at = lp.Next(at)) {
    out.emplace_back(lp.Get(at).View(scratch));
  }
  return out;
}

void CheckValid(const Listpack& lp, const char* what) {
  std::string error;
  Check(Listpack::FromBytes(lp.bytes(), &error).has_value(), what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string error;
  std::optional<Listpack> lp =
      Listpack::FromBytes(std::string_view(reinterpret_cast<const char*>(data), size), &error);
  if (!lp.has_value()) {
    Check(!error.empty(), "rejected without a reason");
    return 0;
  }
  const std::vector<std::string> forward = Entries(*lp);
  Check(forward.size() == lp->size(), "walk and size() disagree");
  std::vector<std::string> backward;
  NumberBuffer scratch;
  for (size_t at = lp->Last(); at != Listpack::kNoEntry; at = lp->Prev(at)) {
    Check(backward.size() < forward.size(), "backward walk longer than forward");
    const Listpack::Element e = lp->Get(at);
    const std::string text(e.View(scratch));
    Check(e.Equals(text), "entry differs from its own text");
    const size_t found = lp->Find(text, lp->First(), 0);
    Check(found != Listpack::kNoEntry && found <= at, "Find misses an entry");
    backward.insert(backward.begin(), text);
  }
  Check(backward == forward, "backward walk differs from forward");
  Check(lp->Clone().bytes() == lp->bytes(), "clone differs");

  Listpack rebuilt;
  for (const std::string& v : forward) rebuilt.Append(v);
  Check(Entries(rebuilt) == forward, "rebuilt entries differ");
  CheckValid(rebuilt, "rebuilt listpack invalid");

  // Edits at the ends and in the middle.
  lp->Insert(lp->First(), "inserted");
  const size_t middle = lp->Next(lp->First());
  if (middle != Listpack::kNoEntry) lp->Replace(middle, std::string(100, 'r'));
  lp->Replace(lp->Last(), "-12345");
  lp->Delete(lp->First(), 2);
  lp->Append("appended");
  CheckValid(*lp, "edited listpack invalid");
  return 0;
}
