#include "server/net/output_buffer_limit.h"

#include <fmt/format.h>

#include <cctype>
#include <vector>

#include "server/command/arg_parsing.h"
#include "server/config/config_values.h"

namespace ember::server {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

// The class named `name` in any letter case ("slave" is Redis's old name for replica).
OutputBufferLimit* ClassNamed(std::string_view name, OutputBufferLimits* limits) {
  if (EqualsIgnoreCase(name, "normal")) return &limits->normal;
  if (EqualsIgnoreCase(name, "replica") || EqualsIgnoreCase(name, "slave")) {
    return &limits->replica;
  }
  if (EqualsIgnoreCase(name, "pubsub")) return &limits->pubsub;
  return nullptr;
}

std::string FormatOne(std::string_view name, const OutputBufferLimit& limit) {
  return fmt::format("{} {} {} {}", name, limit.hard_bytes, limit.soft_bytes, limit.soft_seconds);
}

}  // namespace

std::string ParseOutputBufferLimits(std::string_view text, OutputBufferLimits* limits) {
  const std::vector<std::string> words = Words(text);
  if (words.size() % 4 != 0) return "Wrong number of arguments in buffer limit configuration.";
  OutputBufferLimits updated = *limits;
  for (size_t i = 0; i < words.size(); i += 4) {
    OutputBufferLimit* target = ClassNamed(words[i], &updated);
    if (target == nullptr) return "Invalid client class specified in buffer limit configuration.";
    const int64_t hard = ParseMemorySize(words[i + 1]);
    const int64_t soft = ParseMemorySize(words[i + 2]);
    // Seconds are a plain number: ParseMemorySize without a unit is exactly that.
    const bool plain_seconds =
        !words[i + 3].empty() && std::isdigit(static_cast<unsigned char>(words[i + 3].back()));
    const int64_t seconds = plain_seconds ? ParseMemorySize(words[i + 3]) : -1;
    if (hard < 0 || soft < 0 || seconds < 0) {
      return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
    }
    *target = {hard, soft, seconds};
  }
  *limits = updated;
  return "";
}

std::string FormatOutputBufferLimits(const OutputBufferLimits& limits) {
  return FormatOne("normal", limits.normal) + " " + FormatOne("slave", limits.replica) + " " +
         FormatOne("pubsub", limits.pubsub);
}

OutputLimitVerdict CheckOutputLimit(const OutputBufferLimit& limit, uint64_t pending,
                                    int64_t now_ms, int64_t* soft_since_ms) {
  if (limit.hard_bytes > 0 && pending >= static_cast<uint64_t>(limit.hard_bytes)) {
    return OutputLimitVerdict::kOverHard;
  }
  if (limit.soft_bytes <= 0 || pending < static_cast<uint64_t>(limit.soft_bytes)) {
    *soft_since_ms = 0;
    return OutputLimitVerdict::kWithin;
  }
  // As Redis: the first time over only starts the clock; the client is closed once it has
  // stayed over for more than soft_seconds.
  if (*soft_since_ms == 0) {
    *soft_since_ms = now_ms;
    return OutputLimitVerdict::kWithin;
  }
  return now_ms - *soft_since_ms > limit.soft_seconds * 1000 ? OutputLimitVerdict::kOverSoftTooLong
                                                             : OutputLimitVerdict::kWithin;
}

}  // namespace ember::server
