#include "persistence/lzf_codec.h"

#include <lzf.h>

namespace ember::persistence {

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

}  // namespace ember::persistence
