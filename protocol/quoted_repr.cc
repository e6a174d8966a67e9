#include "protocol/quoted_repr.h"

#include <fmt/format.h>

#include <iterator>

namespace ember::protocol {

void AppendQuotedRepr(std::string& out, std::string_view bytes) {
  out += '"';
  for (const char c : bytes) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default: {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f) {
          out += c;
        } else {
          fmt::format_to(std::back_inserter(out), "\\x{:02x}", byte);
        }
      }
    }
  }
  out += '"';
}

}  // namespace ember::protocol
