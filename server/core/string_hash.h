// Hashing for unordered containers keyed by std::string that are looked up with
// std::string_view (heterogeneous lookup), so a lookup by a view into a request never copies
// the key: declare them with TransparentStringHash and std::equal_to<>.
#pragma once

#include <functional>
#include <string_view>

namespace ember::server {

struct TransparentStringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace ember::server
