#include "storage/value/stream_id.h"

#include <charconv>

namespace ember::storage {
namespace {

// Redis's string2ull: a canonical integer, else what strtoull accepts whole (leading blanks,
// a sign, leading zeros), within uint64. A negative number is refused (Redis refuses the
// canonical ones; "-0" reads as 0).
std::optional<uint64_t> ParseUnsigned(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  const std::string_view digits = text.substr(i);
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  if (negative && value != 0) return std::nullopt;
  return value;
}

}  // namespace

bool StreamId::Increment() {
  if (seq == std::numeric_limits<uint64_t>::max()) {
    if (ms == std::numeric_limits<uint64_t>::max()) return false;
    ++ms;
    seq = 0;
  } else {
    ++seq;
  }
  return true;
}

bool StreamId::Decrement() {
  if (seq == 0) {
    if (ms == 0) return false;
    --ms;
    seq = std::numeric_limits<uint64_t>::max();
  } else {
    --seq;
  }
  return true;
}

std::string FormatStreamId(StreamId id) {
  return std::to_string(id.ms) + "-" + std::to_string(id.seq);
}

std::optional<StreamId> ParseStreamId(std::string_view text, uint64_t missing_seq, bool strict,
                                      bool seq_star_allowed, bool* seq_given) {
  // Redis copies into a 128-byte buffer first; longer text is invalid.
  if (text.size() > 127) return std::nullopt;
  if (seq_given != nullptr) *seq_given = true;
  if (text == "-" || text == "+") {
    if (strict) return std::nullopt;
    return text == "-" ? StreamId::Min() : StreamId::Max();
  }
  const size_t dash = text.find('-');
  const std::optional<uint64_t> ms = ParseUnsigned(text.substr(0, dash));
  if (!ms) return std::nullopt;
  if (dash == std::string_view::npos) return StreamId{*ms, missing_seq};
  const std::string_view seq_text = text.substr(dash + 1);
  if (seq_star_allowed && seq_text == "*") {
    if (seq_given != nullptr) *seq_given = false;
    return StreamId{*ms, 0};
  }
  const std::optional<uint64_t> seq = ParseUnsigned(seq_text);
  if (!seq) return std::nullopt;
  return StreamId{*ms, *seq};
}

void EncodeStreamIdKey(StreamId id, char out[16]) {
  for (int i = 0; i < 8; ++i) {
    out[i] = static_cast<char>(id.ms >> (56 - 8 * i));
    out[8 + i] = static_cast<char>(id.seq >> (56 - 8 * i));
  }
}

StreamId DecodeStreamIdKey(const char in[16]) {
  StreamId id;
  for (int i = 0; i < 8; ++i) {
    id.ms = (id.ms << 8) | static_cast<unsigned char>(in[i]);
    id.seq = (id.seq << 8) | static_cast<unsigned char>(in[8 + i]);
  }
  return id;
}

}  // namespace ember::storage
