#include "server/command/command_keys.h"

#include <algorithm>

#include "server/command/arg_parsing.h"

namespace ember::server {

void KeysOfSpec(const KeySpec& key_spec, std::span<const std::string_view> argv,
                std::vector<size_t>* out) {
  const int argc = static_cast<int>(argv.size());
  int first = -1;
  if (key_spec.begin == BeginSearch::kIndex) {
    first = key_spec.index;
  } else if (key_spec.begin == BeginSearch::kKeyword) {
    const bool backward = key_spec.startfrom < 0;
    for (int i = backward ? argc + key_spec.startfrom : key_spec.startfrom; i > 0 && i < argc;
         i += backward ? -1 : 1) {
      if (EqualsIgnoreCase(argv[i], key_spec.keyword)) {
        first = i + 1;
        break;
      }
    }
  }
  if (first <= 0 || first >= argc) return;
  int last = first;
  int step = 1;
  if (key_spec.find == FindKeys::kRange) {
    last = key_spec.lastkey >= 0 ? first + key_spec.lastkey : argc + key_spec.lastkey;
    step = std::max(key_spec.keystep, 1);
  } else if (key_spec.find == FindKeys::kKeynum) {
    if (first + key_spec.keynumidx >= argc) return;
    auto count = ArgToInt64(argv[first + key_spec.keynumidx]);
    if (!count || *count <= 0) return;
    step = std::max(key_spec.step, 1);
    first += key_spec.firstkey;
    // Keys past the arguments are not there to find; the clamp keeps the arithmetic small.
    last = first + static_cast<int>(std::min<int64_t>(*count, argc) - 1) * step;
  } else {
    return;
  }
  for (int i = first; i <= last && i < argc; i += step) out->push_back(static_cast<size_t>(i));
}

void KeyPositionsOf(const CommandSpec& spec, const CommandDocs* docs,
                    std::span<const std::string_view> argv, std::vector<size_t>* out) {
  if (docs != nullptr && !docs->key_specs.empty()) {
    for (const KeySpec& key_spec : docs->key_specs) KeysOfSpec(key_spec, argv, out);
    return;
  }
  if (spec.keys.first <= 0 || spec.keys.step <= 0) return;
  const int argc = static_cast<int>(argv.size());
  const int last = spec.keys.last < 0 ? argc + spec.keys.last : spec.keys.last;
  for (int i = spec.keys.first; i <= last && i < argc; i += spec.keys.step) {
    out->push_back(static_cast<size_t>(i));
  }
}

}  // namespace ember::server
