// The HTTP adapter's settings (server/http/), Ember's own: they follow Redis's rules for
// their kinds. All are read once when the adapter starts, so CONFIG SET may not change
// them.
#include "server/config/config_setting.h"
#include "server/config/config_values.h"

namespace ember::server {
namespace {

using K = ConfigKind;
using M = ConfigMutability;

// clang-format off
const ConfigSetting kRows[] = {
    {.name = "http-port", .kind = K::kInteger, .mutability = M::kImmutable,
     .field = &ServerConfig::http_port, .min = 0, .max = 65535,
     .help = "TCP port for the HTTP adapter (0: off)"},
    {.name = "http-bind", .kind = K::kWords, .mutability = M::kImmutable,
     .field = &ServerConfig::http_bind, .help = "addresses for the HTTP adapter (empty: as bind)",
     .validate = [](std::string_view v) { return ValidateAddressList(v, true); }},
    {.name = "http-max-body", .kind = K::kMemory, .mutability = M::kImmutable,
     .field = &ServerConfig::http_max_body, .min = 0, .max = kConfigLongMax,
     .help = "largest HTTP request body; larger gets 413 (0: as proto-max-bulk-len)"},
    {.name = "http-header-timeout", .kind = K::kInteger, .mutability = M::kImmutable,
     .field = &ServerConfig::http_header_timeout, .min = 0, .max = kConfigLongMax,
     .help = "milliseconds a client has to send a request header (0: no limit)"},
    {.name = "http-sse-heartbeat", .kind = K::kInteger, .mutability = M::kImmutable,
     .field = &ServerConfig::http_sse_heartbeat, .min = 0, .max = kConfigLongMax,
     .help = "milliseconds between keep-alive comments on an idle event stream (0: none)"},
    {.name = "http-cors-origin", .kind = K::kString, .mutability = M::kImmutable,
     .field = &ServerConfig::http_cors_origin,
     .help = "Access-Control-Allow-Origin for HTTP responses (empty: none)"},
};
// clang-format on

}  // namespace

std::span<const ConfigSetting> HttpSettings() { return kRows; }

}  // namespace ember::server
