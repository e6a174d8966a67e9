// A strict, line-by-line validator for the Prometheus text exposition format (0.0.4), so
// tests can check GET /metrics without a Prometheus server. Stricter than Prometheus on
// purpose: every family must have HELP and TYPE before its samples, families must be
// contiguous, series unique, counters named *_total, and no blank lines.
//
// Header-only so both unit tests (no test-support library) and integration tests use it.
#pragma once

#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace ember::test {

namespace prometheus_detail {

inline bool IsMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool ok = std::isalpha(c) || c == '_' || c == ':' || (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

inline bool IsLabelName(std::string_view name) {
  return IsMetricName(name) && name.find(':') == std::string_view::npos;
}

inline bool IsSampleValue(std::string_view text) {
  if (text == "NaN" || text == "+Inf" || text == "-Inf") return true;
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size() && !text.empty();
}

// Parses `{a="x",b="y"}` at the start of `rest`; returns the length consumed or 0.
inline size_t LabelsLength(std::string_view rest) {
  if (rest.empty() || rest[0] != '{') return 0;
  size_t i = 1;
  while (i < rest.size() && rest[i] != '}') {
    const size_t eq = rest.find('=', i);
    if (eq == std::string_view::npos || !IsLabelName(rest.substr(i, eq - i))) return 0;
    i = eq + 1;
    if (i >= rest.size() || rest[i] != '"') return 0;
    ++i;
    while (i < rest.size() && rest[i] != '"') {
      if (rest[i] == '\\') {
        if (i + 1 >= rest.size() ||
            std::string_view("\\\"n").find(rest[i + 1]) == std::string_view::npos)
          return 0;
        ++i;
      }
      ++i;
    }
    if (i >= rest.size()) return 0;
    ++i;  // closing quote
    if (i < rest.size() && rest[i] == ',') ++i;
  }
  return i < rest.size() ? i + 1 : 0;
}

// Checks and records one "# HELP name text" or "# TYPE name type" line; returns a problem.
inline std::string ReadHelpOrType(std::string_view line, const std::string& current,
                                  const std::set<std::string>& finished,
                                  std::map<std::string, std::string>* help,
                                  std::map<std::string, std::string>* type) {
  const bool is_help = line[2] == 'H';
  const std::string_view rest = line.substr(7);
  const size_t space = rest.find(' ');
  if (space == std::string_view::npos) return "HELP/TYPE without text";
  const std::string name(rest.substr(0, space));
  const std::string value(rest.substr(space + 1));
  if (!IsMetricName(name)) return "bad metric name";
  auto& table = is_help ? *help : *type;
  if (table.count(name)) return "duplicate HELP/TYPE";
  if (finished.count(name) || current == name) return "HELP/TYPE after samples";
  if (!is_help && value != "counter" && value != "gauge" && value != "histogram" &&
      value != "summary" && value != "untyped") {
    return "unknown type";
  }
  if (!is_help && value == "counter" && !name.ends_with("_total")) {
    return "counter not named *_total";
  }
  table[name] = value;
  return "";
}

}  // namespace prometheus_detail

// Returns "" when `text` is valid; otherwise the first problem and its line. When valid,
// `samples` (if given) maps each series as written ("name{labels}") to its value text.
inline std::string ValidatePrometheusText(std::string_view text,
                                          std::map<std::string, std::string>* samples = nullptr) {
  using namespace prometheus_detail;
  if (text.empty() || text.back() != '\n') return "text must end with a newline";
  std::map<std::string, std::string> help, type, series;
  std::set<std::string> finished;
  std::string current;
  size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    const std::string where =
        " (line " + std::to_string(line_number) + ": " + std::string(line) + ")";
    if (line.empty()) return "blank line" + where;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
      const std::string error = ReadHelpOrType(line, current, finished, &help, &type);
      if (!error.empty()) return error + where;
      continue;
    }
    if (line[0] == '#') continue;
    size_t name_end = 0;
    while (name_end < line.size() && line[name_end] != '{' && line[name_end] != ' ') ++name_end;
    const std::string name(line.substr(0, name_end));
    if (!IsMetricName(name)) return "bad metric name" + where;
    size_t pos = name_end;
    if (pos < line.size() && line[pos] == '{') {
      const size_t length = LabelsLength(line.substr(pos));
      if (length == 0) return "bad labels" + where;
      pos += length;
    }
    if (pos >= line.size() || line[pos] != ' ') return "missing value" + where;
    const std::string key(line.substr(0, pos));
    std::string_view value = line.substr(pos + 1);
    const size_t space = value.find(' ');
    if (space != std::string_view::npos) {
      const std::string_view stamp = value.substr(space + 1);
      int64_t ms = 0;
      auto [ptr, ec] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), ms);
      if (ec != std::errc() || ptr != stamp.data() + stamp.size()) return "bad timestamp" + where;
      value = value.substr(0, space);
    }
    if (!IsSampleValue(value)) return "bad value" + where;
    if (!help.count(name) || !type.count(name)) return "sample without HELP and TYPE" + where;
    if (name != current) {
      if (finished.count(name)) return "family not contiguous" + where;
      if (!current.empty()) finished.insert(current);
      current = name;
    }
    if (series.count(key)) return "duplicate series" + where;
    series[key] = std::string(value);
  }
  if (samples != nullptr) *samples = std::move(series);
  return "";
}

}  // namespace ember::test
