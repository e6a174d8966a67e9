// Helpers shared by the SetValue tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/value/set_value.h"

namespace ember::storage {

// Every member in ForEach's order.
inline std::vector<std::string> Members(const SetValue& set) {
  std::vector<std::string> members;
  set.ForEach([&members](std::string_view member) { members.emplace_back(member); });
  return members;
}

}  // namespace ember::storage
