#include "persistence/aof_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>
#include <vector>

#include "persistence/aof_manifest.h"
#include "persistence/aof_reader.h"
#include "persistence/rdb_check.h"

namespace ember::persistence {
namespace {

namespace fs = std::filesystem;

// A manifest names a handful of files; anything bigger is not one.
constexpr uint64_t kMaxManifestBytes = 16 * 1024 * 1024;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Reads up to `limit` bytes from the start of `path` into *out.
Status ReadPrefix(const std::string& path, uint64_t limit, std::string* out, uint64_t* size) {
  FileSource source;
  Status s = source.Open(path);
  if (!s.ok()) return s;
  *size = source.size();
  out->resize(static_cast<size_t>(std::min(limit, source.size())));
  s = source.Read(out->size(), out->data());
  return s.WithFile(path);
}

// Redis's test: a file whose first line that is not a comment starts with "file".
bool LooksLikeManifest(const std::string& path) {
  if (EndsWith(path, ".manifest")) return true;
  std::string head;
  uint64_t size = 0;
  if (!ReadPrefix(path, 4096, &head, &size).ok() || LooksLikeRdb(head)) return false;
  std::string_view rest = head;
  while (!rest.empty() && rest.front() == '#') {
    const size_t newline = rest.find('\n');
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  }
  return rest.substr(0, 4) == "file";
}

struct FileToCheck {
  std::string label;  // "BASE AOF", "INCR AOF", or "AOF" for a single legacy file
  std::string name;   // as the manifest names it (or the path given)
  std::string path;
};

// Appends the lines for one checked file; returns whether it is valid.
bool RenderFile(const FileToCheck& file, const AofCheckFileResult& r, bool last_file,
                std::string* report) {
  if (r.size == 0) {
    // A zero-byte file is valid; one that cannot be opened or read reports size 0 too.
    if (r.status.ok()) {
      *report += fmt::format("{} {} is empty\n", file.label, file.name);
    } else {
      *report += fmt::format("Cannot open file {}: {}\n", file.path, r.status.message());
      *report += fmt::format("{} {} is not valid\n", file.label, file.name);
    }
    return r.status.ok();
  }
  // A bad RDB part leaves valid_up_to at 0; a good one ends at least 9 bytes in.
  const bool rdb_failed = r.rdb_preamble && r.valid_up_to == 0 && !r.status.ok();
  if (rdb_failed) {
    *report += fmt::format("{} (at offset {})\n", r.status.message(), r.status.offset());
  } else {
    if (r.rdb_preamble) *report += "RDB preamble is OK, proceeding with AOF tail...\n";
    if (!r.status.ok()) {
      *report += fmt::format("0x{:16x}: {}\n", std::max<int64_t>(r.status.offset(), 0),
                             r.status.message());
    }
  }
  *report += fmt::format(
      "AOF analyzed: filename={}, size={}, ok_up_to={}, ok_up_to_line={}, diff={}\n", file.name,
      r.size, r.valid_up_to, r.ok_up_to_line, r.size - std::min(r.size, r.valid_up_to));
  if (r.status.ok()) {
    *report += fmt::format("{} {} is valid\n", file.label, file.name);
  } else if (r.truncated && !last_file) {
    *report += fmt::format(
        "{} {} is not valid: it is truncated and it is not the last file (only the last file "
        "may end short)\n",
        file.label, file.name);
  } else if (r.truncated) {
    *report += fmt::format("{} {} is not valid: it is truncated after {} good bytes\n", file.label,
                           file.name, r.valid_up_to);
  } else {
    *report += fmt::format("{} {} is not valid\n", file.label, file.name);
  }
  return r.status.ok();
}

// Checks `files` in order (the last one is the only one allowed to end short), rendering
// each; returns the first error.
Status CheckFiles(const std::vector<FileToCheck>& files, std::string* report) {
  Status first_error;
  for (size_t i = 0; i < files.size(); ++i) {
    const FileToCheck& file = files[i];
    const bool last_file = i + 1 == files.size();
    if (file.label == "INCR AOF" && (i == 0 || files[i - 1].label != file.label)) {
      *report += "Start to check INCR files.\n";
    }
    AofCheckFileResult r = CheckAofFile(file.path);
    if (file.label == "BASE AOF") {
      *report +=
          fmt::format("Start to check BASE AOF ({} format).\n", r.rdb_preamble ? "RDB" : "RESP");
    }
    if (!RenderFile(file, r, last_file, report) && first_error.ok()) {
      first_error = r.status;
      if (r.truncated && !last_file) {
        first_error =
            Status::Error(r.status.message() + " (and it is not the last file)", r.status.offset());
      }
      first_error.WithFile(file.path);
    }
  }
  return first_error;
}

}  // namespace

void CheckAofSource(ByteSource* source, uint64_t size, bool rdb_preamble,
                    AofCheckFileResult* result) {
  AofCheckFileResult& r = *result;
  r.size = size;
  r.rdb_preamble = rdb_preamble;
  r.valid_up_to = 0;
  r.commands = 0;
  r.truncated = false;
  r.ok_up_to_line = 1;
  r.status = Status::Ok();
  if (rdb_preamble) {
    RdbCheckReport rdb;
    Status s = CheckRdb(source, &rdb);
    if (!s.ok()) {
      r.status = Status::Error("RDB preamble of AOF file is not sane: " + s.message(), s.offset());
      return;
    }
  }
  AofCommandReader reader(source, size);
  r.valid_up_to = reader.valid_up_to();
  // What has been read, and where the open MULTI (if any) started.
  uint64_t commands = 0, lines = 1;
  bool in_multi = false;
  uint64_t multi_start = 0;
  std::vector<std::string> argv;
  Status error;
  for (;;) {
    const AofCommandReader::Result next = reader.Next(&argv, &error);
    if (next == AofCommandReader::Result::kCommand) {
      const bool is_multi = EqualsIgnoreCase(argv[0], "multi");
      const bool is_exec = EqualsIgnoreCase(argv[0], "exec");
      if ((is_multi && in_multi) || (is_exec && !in_multi)) {
        r.status = Status::Error(is_multi ? "Unexpected MULTI" : "Unexpected EXEC",
                                 static_cast<int64_t>(reader.command_start()));
        if (!in_multi) r.valid_up_to = reader.command_start();
        return;
      }
      if (is_multi) {
        in_multi = true;
        multi_start = reader.command_start();
      }
      if (is_exec) in_multi = false;
      commands++;
      lines += 1 + 2 * argv.size();
      if (!in_multi) {
        r.valid_up_to = reader.valid_up_to();
        r.commands = commands;
        r.ok_up_to_line = lines;
      }
      continue;
    }
    if (!in_multi) r.valid_up_to = reader.valid_up_to();
    if (next == AofCommandReader::Result::kEnd) {
      if (in_multi) {
        r.truncated = true;
        r.status = Status::Error("Reached EOF before reading EXEC for MULTI",
                                 static_cast<int64_t>(multi_start));
      }
      return;
    }
    r.truncated = next == AofCommandReader::Result::kTruncated;
    r.status = error;
    return;
  }
}

AofCheckFileResult CheckAofFile(const std::string& path) {
  AofCheckFileResult r;
  r.path = path;
  std::string head;
  Status s = ReadPrefix(path, 5, &head, &r.size);
  FileSource source;
  if (s.ok()) s = source.Open(path);
  if (!s.ok()) {
    r.size = 0;
    r.status = Status::Error(s.message()).WithFile(path);
    return r;
  }
  CheckAofSource(&source, source.size(), LooksLikeRdb(head), &r);
  r.status.WithFile(path);
  return r;
}

Status CheckAofPath(const std::string& path, std::string* report) {
  report->clear();
  std::error_code ec;
  std::string manifest_path;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      const std::string name = entry.path().filename().string();
      if (EndsWith(name, ".manifest") && name.rfind("temp-", 0) != 0) {
        found.push_back(entry.path().string());
      }
    }
    if (ec || found.size() != 1) {
      Status s = Status::Error(
          ec ? "cannot list the directory: " + ec.message()
             : fmt::format("expected exactly one *.manifest file in the directory, found {}",
                           found.size()));
      s.WithFile(path);
      *report += s.ToString() + "\n";
      return s;
    }
    manifest_path = found.front();
  } else if (LooksLikeManifest(path)) {
    manifest_path = path;
  }

  if (manifest_path.empty()) {
    *report += "Start checking Old-Style AOF\n";
    Status s = CheckFiles({{"AOF", path, path}}, report);
    return s;
  }

  *report += "Start checking Multi Part AOF\n";
  std::string text;
  uint64_t size = 0;
  Status s = ReadPrefix(manifest_path, kMaxManifestBytes, &text, &size);
  if (s.ok() && size > kMaxManifestBytes) s = Status::Error("the AOF manifest file is too large");
  AofManifest manifest;
  if (s.ok()) s = ParseAofManifest(text, &manifest);
  if (!s.ok()) {
    s.WithFile(manifest_path);
    *report += fmt::format("Invalid AOF manifest: {}\n", s.ToString());
    return s;
  }
  const fs::path dir = fs::path(manifest_path).parent_path();
  std::vector<FileToCheck> files;
  if (manifest.base) {
    files.push_back({"BASE AOF", manifest.base->name, (dir / manifest.base->name).string()});
  }
  for (const AofFileInfo& incr : manifest.incrs) {
    files.push_back({"INCR AOF", incr.name, (dir / incr.name).string()});
  }
  s = CheckFiles(files, report);
  *report += s.ok() ? "All AOF files and manifest are valid\n"
                    : fmt::format("AOF is not valid: {}\n", s.ToString());
  return s;
}

}  // namespace ember::persistence
