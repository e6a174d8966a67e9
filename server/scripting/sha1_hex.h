// Sha1Hex: the 40-character lowercase hex SHA-1 that names a script (EVALSHA, SCRIPT LOAD)
// and that redis.sha1hex returns. Pure function.
#pragma once

#include <string>
#include <string_view>

namespace ember::server::scripting {

std::string Sha1Hex(std::string_view data);

}  // namespace ember::server::scripting
