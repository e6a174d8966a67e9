#include "server/config/config_loader.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "protocol/inline_splitter.h"
#include "server/config/config_registry.h"
#include "server/config/rdb_config.h"

namespace ember::server {
namespace {

using OptionValues = std::map<std::string, std::vector<std::string>>;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Reads `name value...` lines into `values`; later lines win. Returns an error or "".
std::string ReadConfigFile(const std::string& path, OptionValues* values) {
  std::ifstream in(path);
  if (!in) return fmt::format("cannot open config file '{}'", path);
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    auto words = protocol::SplitInlineArgs(line);
    if (!words) {
      return fmt::format("{}:{}: unbalanced quotes in configuration line", path, line_number);
    }
    if (words->empty()) continue;
    std::string name = Lower((*words)[0]);
    std::vector<std::string> line_values(words->begin() + 1, words->end());
    const bool resets = line_values.size() == 1 && line_values[0].empty();
    // Like `save`, each client-output-buffer-limit line adds its classes to the earlier ones.
    const bool appends = AppendsToPreviousLines(name) || name == "client-output-buffer-limit";
    if (appends && !resets && values->count(name) > 0) {
      auto& previous = (*values)[name];
      previous.insert(previous.end(), line_values.begin(), line_values.end());
    } else {
      (*values)[name] = std::move(line_values);
    }
  }
  return "";
}

// Splits `--name v1 v2 --other v` into options; values run until the next `--`.
std::string ReadFlags(const std::vector<std::string>& argv, size_t start, OptionValues* values) {
  std::string current;
  for (size_t i = start; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
      current = Lower(arg.substr(2));
      (*values)[current].clear();
    } else if (current.empty()) {
      return fmt::format("unexpected argument '{}' (options look like --port 6380)", arg);
    } else {
      (*values)[current].push_back(arg);
    }
  }
  return "";
}

bool ParseYesNo(const std::string& text, bool* out) {
  std::string lower = Lower(text);
  if (lower == "yes")
    *out = true;
  else if (lower == "no")
    *out = false;
  else
    return false;
  return true;
}

void DefineOptions(CLI::App& app, ServerConfig& config, std::string& protected_mode,
                   std::string& daemonize, std::string& bulk_len, std::string& query_limit) {
  app.add_option("--port", config.port, "TCP port for RESP clients")->check(CLI::Range(0, 65535));
  app.add_option("--bind", config.bind, "Addresses to listen on")->expected(1, 16);
  app.add_option("--hz", config.hz, "Background task frequency")->check(CLI::Range(1, 500));
  app.add_option("--databases", config.databases, "Number of databases")
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--loglevel", config.loglevel, "debug | verbose | notice | warning")
      ->check(CLI::IsMember({"debug", "verbose", "notice", "warning", "nothing"}));
  app.add_option("--logfile", config.logfile, "Log file; empty for standard output");
  app.add_option("--dir", config.dir, "Working directory for data files");
  app.add_option("--dbfilename", config.dbfilename, "RDB file name");
  app.add_option("--requirepass", config.requirepass, "Password clients must AUTH with");
  app.add_option("--maxclients", config.maxclients, "Maximum connected clients")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  app.add_option("--timeout", config.timeout, "Close idle clients after N seconds (0: never)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--tcp-keepalive", config.tcp_keepalive, "TCP keepalive seconds")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--tcp-backlog", config.tcp_backlog, "listen() backlog")
      ->check(CLI::PositiveNumber);
  app.add_option("--active-expire-effort", config.active_expire_effort, "1..10")
      ->check(CLI::Range(1, 10));
  app.add_option("--proto-max-bulk-len", bulk_len, "Largest bulk string accepted");
  app.add_option("--client-query-buffer-limit", query_limit, "Largest query buffer");
  app.add_option("--protected-mode", protected_mode, "yes | no");
  app.add_option("--daemonize", daemonize, "Only 'no' is supported");
}

// The HTTP adapter's options (server/http/); http-max-body takes a memory size ("16mb").
void DefineHttpOptions(CLI::App& app, ServerConfig& config, std::string& http_max_body) {
  app.add_option("--http-port", config.http_port, "TCP port for the HTTP adapter (0: off)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--http-bind", config.http_bind, "HTTP addresses (default: bind)")
      ->expected(1, 16);
  app.add_option("--http-max-body", http_max_body, "Largest HTTP request body");
  app.add_option("--http-header-timeout", config.http_header_timeout,
                 "Milliseconds to receive a request header (0: no limit)")
      ->check(CLI::NonNegativeNumber);
}

}  // namespace

int64_t ParseMemorySize(const std::string& text) {
  std::string lower = Lower(text);
  size_t digits = 0;
  while (digits < lower.size() && std::isdigit(static_cast<unsigned char>(lower[digits]))) {
    ++digits;
  }
  if (digits == 0 || digits > 18) return -1;
  int64_t number = std::stoll(lower.substr(0, digits));
  std::string unit = lower.substr(digits);
  static const std::map<std::string, int64_t> kUnits = {
      {"", 1},        {"b", 1},        {"k", 1000},       {"kb", 1024},
      {"m", 1000000}, {"mb", 1 << 20}, {"g", 1000000000}, {"gb", int64_t{1} << 30}};
  auto it = kUnits.find(unit);
  if (it == kUnits.end()) return -1;
  return number * it->second;
}

ConfigLoadResult LoadConfig(const std::vector<std::string>& argv) {
  ConfigLoadResult result;
  OptionValues values;
  size_t flags_start = 1;
  if (argv.size() > 1 && argv[1].rfind("--", 0) != 0 && argv[1] != "-h" && argv[1] != "-v") {
    std::error_code ec;
    result.config.config_file = std::filesystem::absolute(argv[1], ec).string();
    std::string error = ReadConfigFile(argv[1], &values);
    if (!error.empty()) return {ConfigLoadResult::Outcome::kError, {}, error};
    flags_start = 2;
  }
  std::string error = ReadFlags(argv, flags_start, &values);
  if (!error.empty()) return {ConfigLoadResult::Outcome::kError, {}, error};

  CLI::App app{"Ember: a Redis-compatible in-memory key-value server", "ember-server"};
  app.set_version_flag("-v,--version", std::string("ember-server v") + EMBER_VERSION);
  std::string protected_mode = "yes", daemonize = "no", bulk_len, query_limit;
  DefineOptions(app, result.config, protected_mode, daemonize, bulk_len, query_limit);
  RdbOptionText rdb_options;
  DefineRdbOptions(app, rdb_options);
  std::string http_max_body;
  DefineHttpOptions(app, result.config, http_max_body);
  // Settings only the CONFIG registry knows (slowlog-*, maxmemory...) are applied by it, so
  // a file written by CONFIG REWRITE always loads.
  for (auto it = values.begin(); it != values.end();) {
    if (app.get_option_no_throw("--" + it->first) != nullptr ||
        FindConfigSetting(it->first) == nullptr) {
      ++it;
      continue;
    }
    std::string joined;
    for (const auto& word : it->second) joined += (joined.empty() ? "" : " ") + word;
    std::string problem = ApplyStartupSetting(result.config, it->first, joined);
    if (!problem.empty()) return {ConfigLoadResult::Outcome::kError, {}, problem};
    it = values.erase(it);
  }

  // CLI11 wants the arguments in reverse order, each option once.
  std::vector<std::string> args;
  for (const auto& [name, option_values] : values) {
    if (name == "help" || name == "version" || name == "h" || name == "v") {
      args.push_back("--" + name);
      continue;
    }
    if (option_values.size() == 1 && !option_values[0].empty()) {
      // "--name=value" keeps values such as "-1" from being read as flags.
      args.push_back("--" + name + "=" + option_values[0]);
      continue;
    }
    if (option_values.empty() || (option_values.size() == 1 && option_values[0].empty())) {
      // CLI11 reads "--name=" as a missing value; an explicit empty argument is a value.
      args.push_back("--" + name);
      args.push_back("");
      continue;
    }
    args.push_back("--" + name);
    args.insert(args.end(), option_values.begin(), option_values.end());
  }
  if (argv.size() > 1 && (argv[1] == "-h" || argv[1] == "-v")) args.push_back(argv[1]);
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    return {ConfigLoadResult::Outcome::kExitSuccess, {}, app.help()};
  } catch (const CLI::CallForVersion& e) {
    return {ConfigLoadResult::Outcome::kExitSuccess, {}, e.what()};
  } catch (const CLI::ParseError& e) {
    return {ConfigLoadResult::Outcome::kError, {}, e.what()};
  }

  auto bad = [](const std::string& name, const std::string& value) {
    return ConfigLoadResult{ConfigLoadResult::Outcome::kError,
                            {},
                            fmt::format("invalid value '{}' for option '{}'", value, name)};
  };
  if (!ParseYesNo(protected_mode, &result.config.protected_mode)) {
    return bad("protected-mode", protected_mode);
  }
  bool flag = false;
  if (!ParseYesNo(daemonize, &flag)) return bad("daemonize", daemonize);
  if (flag) return bad("daemonize", "yes (run it under a supervisor instead)");
  if (!bulk_len.empty()) {
    result.config.proto_max_bulk_len = ParseMemorySize(bulk_len);
    if (result.config.proto_max_bulk_len < 1024 * 1024) return bad("proto-max-bulk-len", bulk_len);
  }
  if (!query_limit.empty()) {
    result.config.client_query_buffer_limit = ParseMemorySize(query_limit);
    if (result.config.client_query_buffer_limit < 1024 * 1024) {
      return bad("client-query-buffer-limit", query_limit);
    }
  }
  if (!http_max_body.empty()) {
    result.config.http_max_body = ParseMemorySize(http_max_body);
    if (result.config.http_max_body < 1) return bad("http-max-body", http_max_body);
  }
  if (std::string rdb_error = ApplyRdbOptions(rdb_options, &result.config); !rdb_error.empty()) {
    return {ConfigLoadResult::Outcome::kError, {}, rdb_error};
  }
  return result;
}

}  // namespace ember::server
