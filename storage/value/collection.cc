#include "storage/value/collection.h"

namespace ember::storage {

std::string_view CollectionEncodingName(CollectionEncoding encoding) {
  switch (encoding) {
    case CollectionEncoding::kListpack:
      return "listpack";
    case CollectionEncoding::kQuicklist:
      return "quicklist";
    case CollectionEncoding::kHashtable:
      return "hashtable";
    case CollectionEncoding::kIntset:
      return "intset";
    case CollectionEncoding::kSkiplist:
      return "skiplist";
    case CollectionEncoding::kStream:
      return "stream";
  }
  return "unknown";
}

}  // namespace ember::storage
