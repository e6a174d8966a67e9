// Comparing secrets (the requirepass password, by RESP AUTH/HELLO and by the HTTP adapter's
// bearer token) without an early exit on the first difference, so the response time does
// not reveal how much of a guess was right. Pure; any thread.
#pragma once

#include <string_view>

namespace ember::server {

// Whether `guess` equals `secret`. The time taken depends on the guess's length only.
bool SecretEquals(std::string_view guess, std::string_view secret);

}  // namespace ember::server
