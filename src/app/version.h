// The version of this build of Stockpile.
#ifndef STOCKPILE_APP_VERSION_H_
#define STOCKPILE_APP_VERSION_H_

namespace stockpile::app {

inline constexpr char kVersion[] = "0.1.0";

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_VERSION_H_
