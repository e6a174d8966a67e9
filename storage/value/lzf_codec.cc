#include "storage/value/lzf_codec.h"

#include <lzf.h>

namespace ember::storage {

std::optional<std::string> LzfCompress(std::string_view input) {
  if (input.size() <= 4) return std::nullopt;
  std::string out(input.size() - 4, '\0');
  unsigned int n = lzf_compress(input.data(), static_cast<unsigned int>(input.size()), out.data(),
                                static_cast<unsigned int>(out.size()));
  if (n == 0) return std::nullopt;
  out.resize(n);
  return out;
}

bool LzfDecompress(std::string_view compressed, size_t original_length, std::string* out) {
  out->resize(original_length);
  if (original_length == 0) return compressed.empty();
  unsigned int n = lzf_decompress(compressed.data(), static_cast<unsigned int>(compressed.size()),
                                  out->data(), static_cast<unsigned int>(original_length));
  return n == original_length;
}

size_t LzfCompressInto(std::string_view input, char* out, size_t capacity) {
  if (input.empty() || capacity == 0) return 0;
  return lzf_compress(input.data(), static_cast<unsigned int>(input.size()), out,
                      static_cast<unsigned int>(capacity));
}

bool LzfDecompressInto(std::string_view compressed, char* out, size_t original_length) {
  if (original_length == 0) return compressed.empty();
  const unsigned int n =
      lzf_decompress(compressed.data(), static_cast<unsigned int>(compressed.size()), out,
                     static_cast<unsigned int>(original_length));
  return n == original_length;
}

}  // namespace ember::storage
