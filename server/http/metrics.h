// Metrics for GET /metrics in the Prometheus text exposition format (version 0.0.4).
//
// Engine figures come from the INFO report, read through the dispatcher like any command,
// so /metrics and INFO can never disagree and new INFO fields (persistence, memory limits)
// surface by adding one row to the table in metrics.cc. A field INFO does not report is
// left out rather than invented. HttpStats adds what only the adapter knows: requests by
// route and status, and open HTTP connections.
//
// Threading: engine thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "server/http/http_router.h"

namespace ember::server::http {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

class HttpStats {
 public:
  void RecordRequest(Route route, unsigned status) { ++requests_[{RouteLabel(route), status}]; }
  void ConnectionOpened() { ++open_connections_; }
  void ConnectionClosed() { --open_connections_; }

  // (route label, status) → requests answered, ordered for stable output.
  const std::map<std::pair<std::string_view, unsigned>, uint64_t>& requests() const {
    return requests_;
  }
  int64_t open_connections() const { return open_connections_; }

 private:
  std::map<std::pair<std::string_view, unsigned>, uint64_t> requests_;
  int64_t open_connections_ = 0;
};

// Renders the exposition text from INFO's `field:value` report and the adapter's stats.
std::string RenderMetrics(std::string_view info_text, const HttpStats& stats);

}  // namespace ember::server::http
