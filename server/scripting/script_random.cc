#include "server/scripting/script_random.h"

#include <limits>

namespace ember::server::scripting {
namespace {

constexpr uint64_t kMultiplier = 0x5DEECE66DULL;
constexpr uint64_t kIncrement = 0xB;
constexpr uint64_t kStateMask = (1ULL << 48) - 1;

}  // namespace

int32_t ScriptRandom::Next() {
  state_ = (state_ * kMultiplier + kIncrement) & kStateMask;
  return static_cast<int32_t>(state_ >> 17);
}

void ScriptRandom::Seed(int32_t seed) {
  state_ = (static_cast<uint64_t>(static_cast<uint32_t>(seed)) << 16) | 0x330E;
}

double ScriptRandom::NextUnit() {
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  return static_cast<double>(Next() % kMax) / static_cast<double>(kMax);
}

}  // namespace ember::server::scripting
