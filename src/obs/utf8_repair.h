// RepairUtf8: makes text safe for formats that require UTF-8 (JSON logs,
// Prometheus text) by replacing each byte that is not part of valid UTF-8
// with U+FFFD.
#ifndef STOCKPILE_OBS_UTF8_REPAIR_H_
#define STOCKPILE_OBS_UTF8_REPAIR_H_

#include <string>
#include <string_view>

namespace stockpile::obs {

// Returns `s` itself when it is valid UTF-8 (no copy); otherwise fills
// `storage` with the repaired text and returns a view of it.
std::string_view RepairUtf8(std::string_view s, std::string& storage);

}  // namespace stockpile::obs

#endif  // STOCKPILE_OBS_UTF8_REPAIR_H_
