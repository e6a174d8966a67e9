// LZF compression: what RDB strings use, so compressed strings round-trip with redis-server,
// and what compresses a list's interior nodes (list-compress-depth, list_node.h), as Redis's
// quicklist does. Compression is Debian's liblzf (the algorithm and stream format Redis
// embeds); decompression is our own, which copies long back references in words where
// lzf_decompress goes byte by byte, and agrees with it on every input (lzf_codec_test).
//
// Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ember::storage {

// Compresses `input`. Returns nullopt when compression would not save at least 4 bytes
// (the rule Redis applies before choosing the LZF encoding), so callers store it raw.
std::optional<std::string> LzfCompress(std::string_view input);

// Decompresses `compressed` into exactly `original_length` bytes. Returns false when the
// stream is malformed or does not expand to exactly that length.
bool LzfDecompress(std::string_view compressed, size_t original_length, std::string* out);

// Compresses `input` into `out` (room for `capacity` bytes); the compressed size, or 0 when it
// does not fit.
size_t LzfCompressInto(std::string_view input, char* out, size_t capacity);
// Decompresses `compressed` into `out`, which must hold exactly `original_length` bytes;
// false when the stream is malformed or expands to another length.
bool LzfDecompressInto(std::string_view compressed, char* out, size_t original_length);

}  // namespace ember::storage
