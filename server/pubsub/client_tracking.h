// ClientTracking: one client's CLIENT TRACKING state (Redis's CLIENT_TRACKING_* flags, the
// redirection and the BCAST prefixes). ClientState holds it while tracking is on and a null
// pointer otherwise, so connections that do not cache pay one pointer. TrackingRegistry
// keeps the prefixes in step with its prefix table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ember::server {

struct ClientTracking {
  uint64_t redirect = 0;  // id of the client that receives the invalidations; 0: this one
  bool bcast = false;     // invalidations by prefix, not by keys read
  bool optin = false;     // only reads after CLIENT CACHING YES are remembered
  bool optout = false;    // reads after CLIENT CACHING NO are not remembered
  bool noloop = false;    // no invalidations for this client's own writes
  // CLIENT CACHING YES/NO given: holds for the next command, or the next transaction.
  bool caching = false;
  // The redirection's client was gone when an invalidation was due (flag R, TRACKINGINFO).
  bool broken_redirect = false;
  std::vector<std::string> prefixes;  // BCAST, sorted, as TRACKINGINFO lists them
};

}  // namespace ember::server
