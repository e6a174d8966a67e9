#include "server/core/monitor_feed.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "protocol/quoted_repr.h"

namespace ember::server {

void MonitorFeed::Add(ClientState& monitor) {
  if (monitor.monitor) return;
  monitor.monitor = true;
  monitors_.push_back(&monitor);
}

void MonitorFeed::Remove(ClientState& monitor) {
  if (!monitor.monitor) return;
  monitor.monitor = false;
  std::erase(monitors_, &monitor);
}

void MonitorFeed::Feed(const ClientState& source, int db, std::span<const std::string_view> args) {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count();
  std::string line = fmt::format("+{}.{:06} [{} {}] ", micros / 1000000, micros % 1000000, db,
                                 source.is_script ? std::string_view("lua") : source.address);
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) line += ' ';
    protocol::AppendQuotedRepr(line, args[i]);
  }
  line += "\r\n";
  for (ClientState* monitor : monitors_) wakeups_.PostBytes(*monitor, line);
}

}  // namespace ember::server
