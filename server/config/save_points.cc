#include "server/config/save_points.h"

#include <charconv>
#include <optional>

#include "server/config/config_values.h"

namespace ember::server {
namespace {

// Redis reads save numbers with strtoll: an optional sign, then digits ("007" and "+5"
// are numbers here, unlike in integer settings).
std::optional<int64_t> SaveNumber(std::string_view word) {
  if (!word.empty() && word[0] == '+') word.remove_prefix(1);
  int64_t n = 0;
  auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), n);
  if (error != std::errc() || end != word.data() + word.size() || word.empty()) {
    return std::nullopt;
  }
  return n;
}

}  // namespace

std::string ValidateSavePoints(std::string_view text) {
  const std::vector<std::string> words = SplitWords(text);
  if (words.size() % 2 != 0) return "Invalid save parameters";
  for (const std::string& word : words) {
    const std::optional<int64_t> n = SaveNumber(word);
    if (!n || *n < 0) return "Invalid save parameters";
  }
  return "";
}

std::vector<SavePoint> ParseSavePoints(std::string_view text) {
  const std::vector<std::string> words = SplitWords(text);
  std::vector<SavePoint> points;
  for (size_t i = 0; i + 1 < words.size(); i += 2) {
    points.push_back({SaveNumber(words[i]).value_or(0), SaveNumber(words[i + 1]).value_or(0)});
  }
  return points;
}

}  // namespace ember::server
