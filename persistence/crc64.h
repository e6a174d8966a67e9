// CRC-64 as the RDB format uses it: the Jones polynomial (0xad93d23594c935a9) in reflected
// form, initial value 0, no final xor. crc64(0, "123456789") == 0xe9c6d914c4b8d9ca.
//
// Stateless and thread-safe; the lookup tables are built at compile time.
#pragma once

#include <cstdint>
#include <string_view>

namespace ember::persistence {

// Continues a running checksum `crc` over `data`; start with 0.
uint64_t Crc64(uint64_t crc, std::string_view data);

}  // namespace ember::persistence
