#include "store/store_types.h"

#include <string>

namespace stockpile::store {

bool ExpectedVersion::Matches(int64_t actual) const {
  switch (kind_) {
    case Kind::kAny:
      return true;
    case Kind::kNoStream:
      return actual == 0;
    case Kind::kStreamExists:
      return actual > 0;
    case Kind::kExact:
      return actual == version_;
  }
  return false;
}

std::string ExpectedVersion::ToString() const {
  switch (kind_) {
    case Kind::kAny:
      return "any";
    case Kind::kNoStream:
      return "no stream";
    case Kind::kStreamExists:
      return "stream exists";
    case Kind::kExact:
      return "version " + std::to_string(version_);
  }
  return "?";
}

}  // namespace stockpile::store
