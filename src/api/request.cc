#include "api/request.h"

#include "core/check.h"

namespace stockpile::api {

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  CHECK(false) << "route " << route << " has no path parameter " << name;
  return {};
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [key, value] : query_params) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

const Principal& Request::caller() const {
  CHECK(principal.has_value()) << "caller() on unauthenticated route " << route;
  return *principal;
}

}  // namespace stockpile::api
