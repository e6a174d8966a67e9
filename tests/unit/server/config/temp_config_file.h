// A config file with the given text in a fresh temporary path, removed when the object
// goes out of scope. For the config unit tests in this folder.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace ember::server {

class TempConfigFile {
 public:
  explicit TempConfigFile(const std::string& text) {
    char path[] = "/tmp/ember-config-test-XXXXXX";
    const int fd = mkstemp(path);
    if (fd >= 0) close(fd);
    path_ = path;
    std::ofstream(path_) << text;
  }
  ~TempConfigFile() { std::remove(path_.c_str()); }
  TempConfigFile(const TempConfigFile&) = delete;
  TempConfigFile& operator=(const TempConfigFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ember::server
