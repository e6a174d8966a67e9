#include "persistence/aof_manifest.h"

#include <fmt/format.h>

#include <cctype>
#include <limits>

#include "protocol/quoted_repr.h"

namespace ember::persistence {
namespace {

// Redis reads the manifest with a 1024-byte fgets buffer: a line (newline included) must fit.
constexpr size_t kMaxLineBytes = 1024;

constexpr std::string_view kInvalidFormat = "Invalid AOF manifest file format";

bool IsCSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits `line` into arguments with the rules of Redis's sdssplitargs: blanks separate
// arguments; a double quote opens a C-escaped run, a single quote a literal one (only \'
// escaped); a closing quote must be followed by a blank or the end. Returns false for an
// unterminated quote or text glued to a closing quote.
bool SplitArgs(std::string_view line, std::vector<std::string>* args) {
  args->clear();
  size_t i = 0;
  const size_t n = line.size();
  auto at = [&](size_t k) { return k < n ? line[k] : '\0'; };
  for (;;) {
    while (i < n && IsCSpace(line[i])) ++i;
    if (i >= n) return true;
    std::string current;
    bool in_double = false, in_single = false;
    for (bool done = false; !done; ++i) {
      const char c = at(i);
      if (in_double) {
        if (c == '\\' && at(i + 1) == 'x' && HexValue(at(i + 2)) >= 0 && HexValue(at(i + 3)) >= 0) {
          current.push_back(static_cast<char>(HexValue(at(i + 2)) * 16 + HexValue(at(i + 3))));
          i += 3;
        } else if (c == '\\' && i + 1 < n) {
          const char e = line[++i];
          current.push_back(e == 'n'   ? '\n'
                            : e == 'r' ? '\r'
                            : e == 't' ? '\t'
                            : e == 'b' ? '\b'
                            : e == 'a' ? '\a'
                                       : e);
        } else if (c == '"') {
          if (i + 1 < n && !IsCSpace(line[i + 1])) return false;
          done = true;
        } else if (i >= n) {
          return false;
        } else {
          current.push_back(c);
        }
      } else if (in_single) {
        if (c == '\\' && at(i + 1) == '\'') {
          current.push_back('\'');
          ++i;
        } else if (c == '\'') {
          if (i + 1 < n && !IsCSpace(line[i + 1])) return false;
          done = true;
        } else if (i >= n) {
          return false;
        } else {
          current.push_back(c);
        }
      } else if (i >= n || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        done = true;
      } else if (c == '"') {
        in_double = true;
      } else if (c == '\'') {
        in_single = true;
      } else {
        current.push_back(c);
      }
    }
    args->push_back(std::move(current));
  }
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// A positive decimal number that fits in int64; 0 (Redis's "missing") otherwise.
int64_t ParseSeq(std::string_view text) {
  if (text.empty() || text.size() > 19) return 0;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    const int digit = c - '0';
    if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) return 0;
    value = value * 10 + digit;
  }
  return value;
}

std::string_view Trim(std::string_view s) {
  auto is_trimmed = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_trimmed(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_trimmed(s.back())) s.remove_suffix(1);
  return s;
}

char TypeLetter(AofFileType type) {
  switch (type) {
    case AofFileType::kBase:
      return 'b';
    case AofFileType::kHistory:
      return 'h';
    case AofFileType::kIncr:
      return 'i';
  }
  return 'i';
}

void AppendLine(const AofFileInfo& info, std::string* out) {
  *out += fmt::format("file {} seq {} type {}\n", AofManifestQuoteName(info.name), info.seq,
                      TypeLetter(info.type));
}

// Parses one non-comment line (without its newline) into *info; returns the Redis error
// text, or an empty view when the line is good.
std::string_view ParseLine(std::string_view line, AofFileInfo* info) {
  line = Trim(line);
  // Redis reads lines as C strings: a NUL byte would silently end the line there.
  if (line.empty() || line.find('\0') != std::string_view::npos) return kInvalidFormat;
  std::vector<std::string> args;
  if (!SplitArgs(line, &args) || args.size() < 6 || args.size() % 2 != 0) return kInvalidFormat;
  bool has_name = false;
  char type = '\0';
  for (size_t i = 0; i < args.size(); i += 2) {
    const std::string& value = args[i + 1];
    if (EqualsIgnoreCase(args[i], "file")) {
      if (value.find_first_of("/\\") != std::string::npos) {
        return "File can't be a path, just a filename";
      }
      info->name = value;
      has_name = true;
    } else if (EqualsIgnoreCase(args[i], "seq")) {
      info->seq = ParseSeq(value);
    } else if (EqualsIgnoreCase(args[i], "type")) {
      type = value.empty() ? '\0' : value[0];
    }
  }
  if (!has_name || info->seq == 0 || type == '\0') return kInvalidFormat;
  switch (type) {
    case 'b':
      info->type = AofFileType::kBase;
      return {};
    case 'h':
      info->type = AofFileType::kHistory;
      return {};
    case 'i':
      info->type = AofFileType::kIncr;
      return {};
    default:
      return "Unknown AOF file type";
  }
}

Status LineError(std::string_view message, int line_number, size_t line_offset,
                 std::string_view line) {
  constexpr size_t kMaxShown = 120;
  std::string shown;
  for (char c : line.substr(0, kMaxShown)) {
    auto u = static_cast<unsigned char>(c);
    shown += (u >= 0x20 && u < 0x7f) ? std::string(1, c) : fmt::format("\\x{:02x}", u);
  }
  if (line.size() > kMaxShown) shown += "...";
  return Status::Error(fmt::format("{} at line {}: '{}'", message, line_number, shown),
                       static_cast<int64_t>(line_offset));
}

}  // namespace

std::string AofManifestQuoteName(std::string_view name) {
  // Redis quotes a name when sdsneedsrepr says so; a single quote is added to that set,
  // because sdssplitargs would read an unquoted ' as the start of a quoted run.
  bool needs_quotes = name.empty();
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '\\' || c == '"' || c == '\'') needs_quotes = true;
  }
  if (!needs_quotes) return std::string(name);
  std::string out;
  protocol::AppendQuotedRepr(out, name);
  return out;
}

std::string AofManifest::Serialize() const {
  std::string out;
  if (base) AppendLine(*base, &out);
  for (const AofFileInfo& info : history) AppendLine(info, &out);
  for (const AofFileInfo& info : incrs) AppendLine(info, &out);
  return out;
}

Status ParseAofManifest(std::string_view text, AofManifest* out) {
  *out = AofManifest();
  int line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t line_offset = pos;
    const size_t newline = text.find('\n', pos);
    const bool terminated = newline != std::string_view::npos;
    const size_t line_end = terminated ? newline : text.size();
    std::string_view line = text.substr(pos, line_end - pos);
    pos = terminated ? newline + 1 : text.size();
    ++line_number;
    if (!line.empty() && line.front() == '#') continue;
    if (!terminated || line.size() + 1 > kMaxLineBytes) {
      return LineError("The AOF manifest file contains too long line (or lacks its final newline)",
                       line_number, line_offset, line);
    }
    AofFileInfo info;
    std::string_view err = ParseLine(line, &info);
    if (err.empty() && info.type == AofFileType::kBase && out->base) {
      err = "Found duplicate base file information";
    }
    if (err.empty() && info.type == AofFileType::kIncr && info.seq <= out->incr_seq) {
      err = "Found a non-monotonic sequence number";
    }
    if (!err.empty()) return LineError(err, line_number, line_offset, line);
    switch (info.type) {
      case AofFileType::kBase:
        out->base_seq = info.seq;
        out->base = std::move(info);
        break;
      case AofFileType::kHistory:
        out->history.push_back(std::move(info));
        break;
      case AofFileType::kIncr:
        out->incr_seq = info.seq;
        out->incrs.push_back(std::move(info));
        break;
    }
  }
  if (!out->base && out->incrs.empty()) {
    return Status::Error("Found an empty AOF manifest (no base and no incr file)");
  }
  return Status::Ok();
}

std::string AofBaseFileName(std::string_view appendfilename, int64_t seq, bool rdb_preamble) {
  return fmt::format("{}.{}.base.{}", appendfilename, seq, rdb_preamble ? "rdb" : "aof");
}

std::string AofIncrFileName(std::string_view appendfilename, int64_t seq) {
  return fmt::format("{}.{}.incr.aof", appendfilename, seq);
}

std::string AofManifestFileName(std::string_view appendfilename) {
  return fmt::format("{}.manifest", appendfilename);
}

std::string AofTempManifestFileName(std::string_view appendfilename) {
  return fmt::format("temp-{}.manifest", appendfilename);
}

std::string AofTempIncrFileName(std::string_view appendfilename) {
  return fmt::format("temp-{}.incr", appendfilename);
}

}  // namespace ember::persistence
