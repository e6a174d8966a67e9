#include "storage/value/lzf_codec.h"

#include <lzf.h>

#include <cstring>

namespace ember::storage {
namespace {

// Appends at `op` the `length` bytes that start `distance` bytes back, as a forward byte copy
// would: when the two ranges overlap, the copy repeats the last `distance` bytes.
void CopyBackReference(char* op, size_t distance, size_t length) {
  const char* ref = op - distance;
  if (distance >= length) {
    std::memcpy(op, ref, length);
  } else if (distance == 1) {
    std::memset(op, *ref, length);
  } else if (distance >= 8) {
    // Each 8-byte step reads bytes already written: ref + 8 <= op.
    for (; length >= 8; length -= 8, op += 8, ref += 8) std::memcpy(op, ref, 8);
    while (length-- > 0) *op++ = *ref++;
  } else {
    while (length-- > 0) *op++ = *ref++;
  }
}

}  // namespace

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
  return LzfDecompressInto(compressed, out->data(), original_length);
}

size_t LzfCompressInto(std::string_view input, char* out, size_t capacity) {
  if (input.empty() || capacity == 0) return 0;
  return lzf_compress(input.data(), static_cast<unsigned int>(input.size()), out,
                      static_cast<unsigned int>(capacity));
}

// The stream format is liblzf's: a control byte below 32 starts a run of that many plus one
// literal bytes; any other is a back reference, its top three bits the length minus two (7:
// one more byte to add), its low five bits and the next byte the distance minus one.
// Decoded here rather than by lzf_decompress, which copies a back reference byte by byte:
// every RDB load of compressible strings spends most of its decoding there.
bool LzfDecompressInto(std::string_view compressed, char* out, size_t original_length) {
  if (original_length == 0) return compressed.empty();
  const auto* in = reinterpret_cast<const unsigned char*>(compressed.data());
  const unsigned char* const in_end = in + compressed.size();
  char* op = out;
  char* const out_end = out + original_length;
  while (in < in_end) {
    const unsigned ctrl = *in++;
    if (ctrl < 32) {
      const size_t length = ctrl + 1;
      if (static_cast<size_t>(in_end - in) < length || static_cast<size_t>(out_end - op) < length) {
        return false;
      }
      std::memcpy(op, in, length);
      op += length;
      in += length;
      continue;
    }
    size_t length = ctrl >> 5;
    if (length == 7) {
      if (in == in_end) return false;
      length += *in++;
    }
    if (in == in_end) return false;
    const size_t distance = ((ctrl & 0x1f) << 8) + *in++ + 1;
    length += 2;
    if (static_cast<size_t>(op - out) < distance || static_cast<size_t>(out_end - op) < length) {
      return false;
    }
    CopyBackReference(op, distance, length);
    op += length;
  }
  return op == out_end;
}

}  // namespace ember::storage
