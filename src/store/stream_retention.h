// Which events of a stream its StreamMetadata still shows (max age, max
// count, truncate-before), shared by every backend's read path and
// Scavenge().
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_STORE_STREAM_RETENTION_H_
#define STOCKPILE_STORE_STREAM_RETENTION_H_

#include <cstdint>

#include "store/store_types.h"

namespace stockpile::store {

// The lowest stream version shown by count/truncation rules for a stream at
// `current_version` (age is checked per event). 1 when nothing is cut.
int64_t FirstRetainedVersion(const StreamMetadata& metadata,
                             int64_t current_version);

// True when an event written at `timestamp_ms` is too old to show at
// `now_ms`.
bool IsExpired(const StreamMetadata& metadata, int64_t timestamp_ms,
               int64_t now_ms);

// True when the metadata may hide anything at all.
inline bool HasRetention(const StreamMetadata& m) {
  return m.max_age_ms || m.max_count || m.truncate_before;
}

}  // namespace stockpile::store

#endif  // STOCKPILE_STORE_STREAM_RETENTION_H_
