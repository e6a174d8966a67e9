#include "server/scripting/sha1_hex.h"

#include <fmt/format.h>

#include <boost/uuid/detail/sha1.hpp>

namespace ember::server::scripting {

std::string Sha1Hex(std::string_view data) {
  boost::uuids::detail::sha1 hasher;
  hasher.process_bytes(data.data(), data.size());
  boost::uuids::detail::sha1::digest_type digest;
  hasher.get_digest(digest);
  std::string hex;
  hex.reserve(40);
  for (unsigned int word : digest) fmt::format_to(std::back_inserter(hex), "{:08x}", word);
  return hex;
}

}  // namespace ember::server::scripting
