#include "server/config/config_values.h"

#include <array>
#include <cctype>
#include <limits>
#include <utility>

#include "storage/value/number_format.h"

namespace ember::server {

int64_t ParseMemorySize(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
    ++digits;
  }
  if (digits == 0) return -1;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t number = 0;
  for (size_t i = 0; i < digits; ++i) {
    const int digit = text[i] - '0';
    if (number > (kMax - digit) / 10) return -1;
    number = number * 10 + digit;
  }
  static constexpr std::array<std::pair<std::string_view, int64_t>, 8> kUnits = {{
      {"", 1},
      {"b", 1},
      {"k", 1000},
      {"kb", 1024},
      {"m", 1000 * 1000},
      {"mb", 1024 * 1024},
      {"g", 1000 * 1000 * 1000},
      {"gb", int64_t{1024} * 1024 * 1024},
  }};
  const std::string unit = LowerCase(text.substr(digits));
  for (const auto& [name, scale] : kUnits) {
    if (unit != name) continue;
    if (number > kMax / scale) return -1;
    return number * scale;
  }
  return -1;
}

std::optional<int64_t> ParseConfigInteger(std::string_view text) {
  return storage::ParseInt64(text);
}

std::optional<bool> ParseYesNo(std::string_view text) {
  const std::string lower = LowerCase(text);
  if (lower == "yes") return true;
  if (lower == "no") return false;
  return std::nullopt;
}

std::string FormatYesNo(bool value) { return value ? "yes" : "no"; }

std::string LowerCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) words.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::string ValidateAddressList(std::string_view text, bool may_be_empty) {
  constexpr size_t kMaxAddresses = 16;  // Redis's CONFIG_BINDADDR_MAX
  const size_t count = SplitWords(text).size();
  if (count == 0 && !may_be_empty) return "at least one address is needed";
  return count > kMaxAddresses ? "Too many bind addresses specified." : "";
}

}  // namespace ember::server
