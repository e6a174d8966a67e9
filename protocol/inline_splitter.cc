#include "protocol/inline_splitter.h"

#include <cstddef>

namespace ember::protocol {
namespace {

// isspace() in the C locale: separates arguments and may follow a closing quote.
bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Redis ends an unquoted argument only on these; \v and \f inside an argument are kept.
bool EndsBareArg(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char UnescapeDoubleQuoted(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

// Reads one argument starting at line[*pos] (not a blank) into `*arg`, leaving *pos after
// it. `at(i)` yields '\0' past the end so look-ahead mirrors C-string scanning. Returns
// false on an unterminated quote or a closing quote followed by a non-blank.
bool ReadArg(std::string_view line, size_t* pos, std::string* arg) {
  auto at = [line](size_t i) { return i < line.size() ? line[i] : '\0'; };
  enum class Quote { kNone, kDouble, kSingle };
  Quote quote = Quote::kNone;
  size_t i = *pos;
  while (true) {
    const char c = at(i);
    if (quote == Quote::kNone) {
      if (i >= line.size() || EndsBareArg(c)) break;
      if (c == '"') {
        quote = Quote::kDouble;
      } else if (c == '\'') {
        quote = Quote::kSingle;
      } else {
        arg->push_back(c);
      }
      ++i;
      continue;
    }
    if (i >= line.size()) return false;  // the line ended inside quotes
    const char close = quote == Quote::kDouble ? '"' : '\'';
    if (c == close) {
      if (at(i + 1) != '\0' && !IsBlank(at(i + 1))) return false;
      ++i;
      break;
    }
    if (quote == Quote::kDouble && c == '\\' && at(i + 1) == 'x' && HexValue(at(i + 2)) >= 0 &&
        HexValue(at(i + 3)) >= 0) {
      arg->push_back(static_cast<char>(HexValue(at(i + 2)) * 16 + HexValue(at(i + 3))));
      i += 4;
    } else if (quote == Quote::kDouble && c == '\\' && at(i + 1) != '\0') {
      arg->push_back(UnescapeDoubleQuoted(at(i + 1)));
      i += 2;
    } else if (quote == Quote::kSingle && c == '\\' && at(i + 1) == '\'') {
      arg->push_back('\'');
      i += 2;
    } else {
      arg->push_back(c);
      ++i;
    }
  }
  *pos = i;
  return true;
}

}  // namespace

bool SplitInlineArgsInto(std::string_view line, std::vector<std::string>* args) {
  line = line.substr(0, line.find('\0'));
  size_t count = 0;
  size_t pos = 0;
  while (true) {
    while (pos < line.size() && IsBlank(line[pos])) ++pos;
    if (pos == line.size()) break;
    if (count == args->size()) args->emplace_back();
    std::string& arg = (*args)[count++];
    arg.clear();
    if (!ReadArg(line, &pos, &arg)) return false;
  }
  args->resize(count);
  return true;
}

std::optional<std::vector<std::string>> SplitInlineArgs(std::string_view line) {
  std::vector<std::string> args;
  if (!SplitInlineArgsInto(line, &args)) return std::nullopt;
  return args;
}

}  // namespace ember::protocol
