#include "server/pubsub/keyspace_events.h"

namespace ember::server {
namespace {

struct ClassLetter {
  char letter;
  uint32_t flag;
};

// In the order FormatKeyspaceEvents writes them after "A" or its parts.
constexpr ClassLetter kKinds[] = {
    {'g', kNotifyGeneric}, {'$', kNotifyString}, {'l', kNotifyList},    {'s', kNotifySet},
    {'h', kNotifyHash},    {'z', kNotifyZSet},   {'x', kNotifyExpired}, {'e', kNotifyEvicted},
    {'t', kNotifyStream},  {'d', kNotifyModule}, {'n', kNotifyNew},
};
constexpr ClassLetter kChannelsAndMiss[] = {
    {'K', kNotifyKeyspace}, {'E', kNotifyKeyevent}, {'m', kNotifyKeyMiss}};

uint32_t FlagOf(char letter) {
  if (letter == 'A') return kNotifyAll;
  for (const ClassLetter& kind : kKinds) {
    if (kind.letter == letter) return kind.flag;
  }
  for (const ClassLetter& other : kChannelsAndMiss) {
    if (other.letter == letter) return other.flag;
  }
  return 0;
}

}  // namespace

std::optional<uint32_t> ParseKeyspaceEvents(std::string_view classes) {
  uint32_t flags = 0;
  for (char letter : classes) {
    const uint32_t flag = FlagOf(letter);
    if (flag == 0) return std::nullopt;
    flags |= flag;
  }
  return flags;
}

std::string FormatKeyspaceEvents(uint32_t flags) {
  std::string text;
  if ((flags & kNotifyAll) == kNotifyAll) {
    text += 'A';
  } else {
    for (const ClassLetter& kind : kKinds) {
      if (flags & kind.flag) text += kind.letter;
    }
  }
  for (const ClassLetter& other : kChannelsAndMiss) {
    if (flags & other.flag) text += other.letter;
  }
  return text;
}

}  // namespace ember::server
