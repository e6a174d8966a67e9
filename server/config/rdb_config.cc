#include "server/config/rdb_config.h"

#include <fmt/format.h>

#include <sstream>

#include "storage/value/number_format.h"

namespace ember::server {
namespace {

bool YesNo(const std::string& text, bool* out) {
  if (text == "yes" || text == "YES" || text == "Yes") {
    *out = true;
  } else if (text == "no" || text == "NO" || text == "No") {
    *out = false;
  } else {
    return false;
  }
  return true;
}

}  // namespace

void DefineRdbOptions(CLI::App& app, RdbOptionText& text) {
  text.save_option =
      app.add_option("--save", text.save, "RDB save points: <seconds> <changes> ..., or \"\"")
          ->expected(0, 1 << 10);
  app.add_option("--rdbcompression", text.rdbcompression, "LZF-compress strings in RDB: yes|no");
  app.add_option("--rdbchecksum", text.rdbchecksum, "CRC-64 trailer in RDB files: yes|no");
  app.add_option("--stop-writes-on-bgsave-error", text.stop_writes_on_bgsave_error,
                 "Refuse writes after a failed background save: yes|no");
}

std::vector<SavePoint> ParseSavePoints(std::string_view text) {
  std::vector<int64_t> numbers;
  std::istringstream words{std::string(text)};
  std::string word;
  while (words >> word) {
    if (auto n = storage::ParseInt64(word)) numbers.push_back(*n);
  }
  std::vector<SavePoint> points;
  for (size_t i = 0; i + 1 < numbers.size(); i += 2) points.push_back({numbers[i], numbers[i + 1]});
  return points;
}

std::string ApplyRdbOptions(const RdbOptionText& text, ServerConfig* config) {
  if (!YesNo(text.rdbcompression, &config->rdbcompression)) {
    return fmt::format("invalid value '{}' for option 'rdbcompression'", text.rdbcompression);
  }
  if (!YesNo(text.rdbchecksum, &config->rdbchecksum)) {
    return fmt::format("invalid value '{}' for option 'rdbchecksum'", text.rdbchecksum);
  }
  if (!YesNo(text.stop_writes_on_bgsave_error, &config->stop_writes_on_bgsave_error)) {
    return fmt::format("invalid value '{}' for option 'stop-writes-on-bgsave-error'",
                       text.stop_writes_on_bgsave_error);
  }
  if (text.save_option == nullptr || text.save_option->count() == 0) return "";
  std::vector<int64_t> numbers;
  for (const std::string& value : text.save) {
    std::istringstream words(value);
    std::string word;
    while (words >> word) {
      auto n = storage::ParseInt64(word);
      if (!n || *n < 0) return fmt::format("Invalid save parameters: '{}'", word);
      numbers.push_back(*n);
    }
  }
  if (numbers.size() % 2 != 0) return "Invalid save parameters: expected <seconds> <changes> pairs";
  config->save_points.clear();
  for (size_t i = 0; i < numbers.size(); i += 2) {
    config->save_points.push_back({numbers[i], numbers[i + 1]});
  }
  return "";
}

}  // namespace ember::server
