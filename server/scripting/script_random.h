// ScriptRandom: the generator behind math.random and math.randomseed in scripts. Redis 7.0
// replaces Lua's (libc's rand) with its own lrand48: a 48-bit linear congruential generator
// that starts from the POSIX default state when the server starts, is never reseeded
// between scripts, and is shared by all of them. Scripts that draw numbers therefore see the
// same sequence as on a redis-server started at the same moment, which keeps their effects
// reproducible on replicas and in the AOF of older Redis versions.
//
// Threading: engine thread only (one per ScriptEngine).
#pragma once

#include <cstdint>

namespace ember::server::scripting {

class ScriptRandom {
 public:
  // The next value in [0, 2^31), as lrand48 defines it.
  int32_t Next();
  // srand48(seed): the high 32 bits of the state become `seed`.
  void Seed(int32_t seed);
  // math.random(): a number in [0, 1), Redis's (lrand48 % INT32_MAX) / INT32_MAX.
  double NextUnit();

 private:
  static constexpr uint64_t kInitialState = 0x1234ABCD330EULL;
  uint64_t state_ = kInitialState;  // 48 bits
};

}  // namespace ember::server::scripting
