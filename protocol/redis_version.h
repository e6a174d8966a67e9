// The Redis version whose protocol, replies and file formats Ember reproduces. Clients pick
// features from it (HELLO's and INFO's redis_version) and Redis's tools read it from an RDB
// file's redis-ver field, so it is written in this one place.
#pragma once

#include <string_view>

namespace ember::protocol {

inline constexpr std::string_view kCompatibleRedisVersion = "7.0.15";

}  // namespace ember::protocol
