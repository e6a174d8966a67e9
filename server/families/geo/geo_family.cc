// The GEO family (Redis's "geo" group, ACL category @geo): positions kept as the scores of
// sorted-set members. Each command file ends with its rows; geo_docs.cc is generated.
#include "server/command/acl_categories.h"
#include "server/families/families.h"

namespace ember::server {

std::span<const CommandDocs> GeoCommandDocs();  // geo_docs.cc

// Outside an anonymous namespace: EMBER_COMMAND_FILE declares each rows function in the
// enclosing namespace, where its file defines it.
constexpr CommandRowsSource kFiles[] = {
    EMBER_COMMAND_FILE(GeoCommandRows),        // geo_commands.cc: GEOADD, GEOPOS, GEODIST, GEOHASH
    EMBER_COMMAND_FILE(GeoSearchCommandRows),  // geo_search_commands.cc: GEOSEARCH, GEORADIUS...
};

constinit const CommandFamily kGeoFamily{"geo", kAclGeo, kFiles, GeoCommandDocs};

}  // namespace ember::server
