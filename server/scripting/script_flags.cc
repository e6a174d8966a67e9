#include "server/scripting/script_flags.h"

#include <fmt/format.h>

#include <vector>

namespace ember::server::scripting {
namespace {

struct FlagName {
  std::string_view name;
  ScriptFlag flag;
};

constexpr FlagName kFlagNames[] = {
    {"no-writes", kScriptNoWrites},
    {"allow-oom", kScriptAllowOom},
    {"allow-stale", kScriptAllowStale},
    {"no-cluster", kScriptNoCluster},
    {"allow-cross-slot-keys", kScriptAllowCrossSlot},
};

// Redis's sdssplitlen: nothing for an empty text, and an empty last part after a trailing
// separator ("a," is "a" and "").
std::vector<std::string_view> SplitOn(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  if (text.empty()) return parts;
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::vector<std::string_view> SplitBlanks(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
    const size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\r') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

}  // namespace

uint32_t ScriptFlagNamed(std::string_view name) {
  for (const FlagName& entry : kFlagNames) {
    if (entry.name == name) return entry.flag;
  }
  return 0;
}

bool ParseShebang(std::string_view body, Shebang* out, std::string* error) {
  *out = Shebang{};
  if (!body.starts_with("#!")) return true;
  const size_t end = body.find('\n');
  if (end == std::string_view::npos) {
    *error = "Invalid script shebang";
    return false;
  }
  const std::vector<std::string_view> parts = SplitBlanks(body.substr(0, end));
  if (parts.empty()) {
    *error = "Invalid engine in script shebang";
    return false;
  }
  if (parts[0] != "#!lua") {
    *error = fmt::format("Unexpected engine in script shebang: {}", parts[0]);
    return false;
  }
  uint32_t flags = 0;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!parts[i].starts_with("flags=")) {
      *error = fmt::format("Unknown lua shebang option: {}", parts[i]);
      return false;
    }
    for (std::string_view name : SplitOn(parts[i].substr(6), ',')) {
      const uint32_t flag = ScriptFlagNamed(name);
      if (flag == 0) {
        *error = fmt::format("Unexpected flag in script shebang: {}", name);
        return false;
      }
      flags |= flag;
    }
  }
  out->flags = flags;
  out->length = end;
  return true;
}

}  // namespace ember::server::scripting
