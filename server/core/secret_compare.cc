#include "server/core/secret_compare.h"

namespace ember::server {

bool SecretEquals(std::string_view guess, std::string_view secret) {
  unsigned char diff = guess.size() == secret.size() ? 0 : 1;
  for (size_t i = 0; i < guess.size(); ++i) {
    diff |= static_cast<unsigned char>(guess[i] ^ (i < secret.size() ? secret[i] : 0));
  }
  return diff == 0;
}

}  // namespace ember::server
