// ServerConfig: every setting, named as in redis.conf. Filled once at startup from the
// config file and flags (config_loader.h); handlers read it through ServerState.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ember::server {

struct ServerConfig {
  std::string config_file;  // absolute path, empty when started without one
  int port = 6379;
  std::vector<std::string> bind = {"127.0.0.1", "::1"};
  int hz = 10;
  int databases = 16;
  std::string loglevel = "notice";  // debug | verbose | notice | warning
  std::string logfile;              // empty: standard output
  std::string dir = ".";
  std::string dbfilename = "dump.rdb";
  std::string requirepass;
  int64_t maxclients = 10000;
  int64_t timeout = 0;  // idle client timeout in seconds; 0 disables
  int64_t tcp_keepalive = 300;
  int64_t tcp_backlog = 511;
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  bool protected_mode = true;
  int active_expire_effort = 1;
};

}  // namespace ember::server
