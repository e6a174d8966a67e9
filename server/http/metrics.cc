#include "server/http/metrics.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <vector>

namespace ember::server::http {
namespace {

struct InfoMetric {
  std::string_view field;  // INFO field name
  std::string_view name;   // metric name
  std::string_view type;   // gauge | counter
  std::string_view help;
};

constexpr InfoMetric kInfoMetrics[] = {
    {"uptime_in_seconds", "ember_uptime_seconds", "gauge", "Seconds since the server started."},
    {"connected_clients", "ember_connected_clients", "gauge",
     "Connected clients, RESP and HTTP connections alike."},
    {"maxclients", "ember_max_clients", "gauge", "Configured maximum number of clients."},
    {"used_memory", "ember_memory_used_bytes", "gauge", "Bytes allocated by the server."},
    {"used_memory_rss", "ember_memory_rss_bytes", "gauge", "Resident set size in bytes."},
    {"used_memory_dataset", "ember_memory_dataset_bytes", "gauge", "Bytes used by the dataset."},
    {"maxmemory", "ember_memory_max_bytes", "gauge", "Configured memory limit (0: none)."},
    {"loading", "ember_loading", "gauge", "1 while a dataset is being loaded."},
    {"rdb_changes_since_last_save", "ember_rdb_changes_since_last_save", "gauge",
     "Writes since the last successful snapshot."},
    {"rdb_bgsave_in_progress", "ember_rdb_bgsave_in_progress", "gauge",
     "1 while a background snapshot runs."},
    {"rdb_last_save_time", "ember_rdb_last_save_timestamp_seconds", "gauge",
     "Unix time of the last successful snapshot."},
    {"rdb_last_bgsave_status", "ember_rdb_last_bgsave_ok", "gauge",
     "1 when the last background snapshot succeeded."},
    {"aof_enabled", "ember_aof_enabled", "gauge", "1 when the append-only file is on."},
    {"aof_rewrite_in_progress", "ember_aof_rewrite_in_progress", "gauge",
     "1 while the append-only file is rewritten."},
    {"aof_last_write_status", "ember_aof_last_write_ok", "gauge",
     "1 when the last append-only file write succeeded."},
    {"total_connections_received", "ember_connections_received_total", "counter",
     "Connections accepted."},
    {"total_commands_processed", "ember_commands_processed_total", "counter",
     "Commands processed, from RESP and HTTP clients."},
    {"rejected_connections", "ember_rejected_connections_total", "counter",
     "Connections refused by maxclients."},
    {"total_net_input_bytes", "ember_net_input_bytes_total", "counter",
     "Bytes read from RESP clients."},
    {"total_net_output_bytes", "ember_net_output_bytes_total", "counter",
     "Bytes written to RESP clients."},
    {"expired_keys", "ember_expired_keys_total", "counter", "Keys removed by expiry."},
    {"evicted_keys", "ember_evicted_keys_total", "counter", "Keys removed by eviction."},
    {"keyspace_hits", "ember_keyspace_hits_total", "counter", "Successful key lookups."},
    {"keyspace_misses", "ember_keyspace_misses_total", "counter", "Failed key lookups."},
    {"total_error_replies", "ember_error_replies_total", "counter", "Error replies sent."},
};

struct DbCounts {
  std::string db;
  std::string keys;
  std::string expires;
};

// A sample value: numbers pass through; "ok"/"err" status words become 1/0.
std::optional<std::string> SampleValue(std::string_view text) {
  if (text == "ok") return "1";
  if (text == "err") return "0";
  double number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return std::string(text);
}

void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// "keys=3,expires=1,avg_ttl=0" → the value after `name=`.
std::string DbField(std::string_view list, std::string_view name) {
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(start, end - start);
    if (item.size() > name.size() && item.substr(0, name.size()) == name &&
        item[name.size()] == '=') {
      return std::string(item.substr(name.size() + 1));
    }
    start = end + 1;
  }
  return "0";
}

void ParseInfo(std::string_view info, std::map<std::string, std::string, std::less<>>* fields,
               std::vector<DbCounts>* dbs) {
  size_t start = 0;
  while (start < info.size()) {
    size_t end = info.find('\n', start);
    if (end == std::string_view::npos) end = info.size();
    std::string_view line = info.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t colon = line.find(':');
    if (line.empty() || line[0] == '#' || colon == std::string_view::npos) continue;
    std::string_view field = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    if (field.size() > 2 && field.substr(0, 2) == "db" &&
        field.find_first_not_of("0123456789", 2) == std::string_view::npos) {
      dbs->push_back(
          {std::string(field.substr(2)), DbField(value, "keys"), DbField(value, "expires")});
      continue;
    }
    fields->emplace(field, value);
  }
}

void RenderHttp(const HttpStats& stats, std::string& out) {
  Family(out, "ember_http_connections", "gauge", "Open HTTP connections.");
  out += fmt::format("ember_http_connections {}\n", stats.open_connections());
  Family(out, "ember_http_requests_total", "counter",
         "HTTP requests answered, by route and status.");
  for (const auto& [key, count] : stats.requests()) {
    out += fmt::format("ember_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                       key.second, count);
  }
}

}  // namespace

std::string RenderMetrics(std::string_view info_text, const HttpStats& stats) {
  std::map<std::string, std::string, std::less<>> fields;
  std::vector<DbCounts> dbs;
  ParseInfo(info_text, &fields, &dbs);
  std::string out;
  for (const InfoMetric& metric : kInfoMetrics) {
    auto it = fields.find(metric.field);
    if (it == fields.end()) continue;
    auto value = SampleValue(it->second);
    if (!value) continue;
    Family(out, metric.name, metric.type, metric.help);
    out += fmt::format("{} {}\n", metric.name, *value);
  }
  Family(out, "ember_db_keys", "gauge", "Keys per database (databases holding keys).");
  for (const DbCounts& db : dbs)
    out += fmt::format("ember_db_keys{{db=\"{}\"}} {}\n", db.db, db.keys);
  Family(out, "ember_db_expiring_keys", "gauge", "Keys with a time to live, per database.");
  for (const DbCounts& db : dbs) {
    out += fmt::format("ember_db_expiring_keys{{db=\"{}\"}} {}\n", db.db, db.expires);
  }
  RenderHttp(stats, out);
  return out;
}

}  // namespace ember::server::http
