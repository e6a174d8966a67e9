// Helpers shared by the HyperLogLog unit tests: golden strings written as hex.
#pragma once

#include <string>
#include <string_view>

namespace ember::storage::hll {

// "48594c4c" -> "HYLL". Requires: an even number of hex digits.
inline std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

}  // namespace ember::storage::hll
