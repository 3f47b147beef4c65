#include "store/stream_retention.h"

#include <algorithm>

namespace stockpile::store {

int64_t FirstRetainedVersion(const StreamMetadata& metadata,
                             int64_t current_version) {
  int64_t first = 1;
  if (metadata.truncate_before) {
    first = std::max(first, *metadata.truncate_before);
  }
  if (metadata.max_count) {
    first = std::max(first, current_version - *metadata.max_count + 1);
  }
  return first;
}

bool IsExpired(const StreamMetadata& metadata, int64_t timestamp_ms,
               int64_t now_ms) {
  return metadata.max_age_ms && timestamp_ms < now_ms - *metadata.max_age_ms;
}

}  // namespace stockpile::store
