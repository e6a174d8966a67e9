// Keyspace notification classes, as Redis 7.0's `notify-keyspace-events` names them: K and E
// choose the channels (__keyspace@<db>__:<key> carrying the event, __keyevent@<db>__:<event>
// carrying the key), the others the kinds of event. A (all) is g$lshzxetd: keymiss (m) and
// new (n) are left out of it on purpose, as in Redis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ember::server {

enum NotifyClass : uint32_t {
  kNotifyKeyspace = 1u << 0,  // K
  kNotifyKeyevent = 1u << 1,  // E
  kNotifyGeneric = 1u << 2,   // g: DEL, EXPIRE, RENAME...
  kNotifyString = 1u << 3,    // $
  kNotifyList = 1u << 4,      // l
  kNotifySet = 1u << 5,       // s
  kNotifyHash = 1u << 6,      // h
  kNotifyZSet = 1u << 7,      // z
  kNotifyExpired = 1u << 8,   // x
  kNotifyEvicted = 1u << 9,   // e
  kNotifyStream = 1u << 10,   // t
  kNotifyKeyMiss = 1u << 11,  // m
  kNotifyModule = 1u << 13,   // d
  kNotifyNew = 1u << 14,      // n
  kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet | kNotifyHash |
               kNotifyZSet | kNotifyExpired | kNotifyEvicted | kNotifyStream | kNotifyModule,
};

// The flags of a class string ("KEA", "Kx"...); nullopt when a character is not a class.
std::optional<uint32_t> ParseKeyspaceEvents(std::string_view classes);
// The canonical string CONFIG GET shows: "A" for all of A (then n is not shown, as in Redis),
// else the classes in Redis's order, then K, E and m.
std::string FormatKeyspaceEvents(uint32_t flags);

inline constexpr std::string_view kErrInvalidEventClass =
    "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

}  // namespace ember::server
