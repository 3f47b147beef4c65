#include "api/body_fields.h"

#include "core/status_macros.h"
#include "domain/common/money.h"

namespace stockpile::api {
namespace {

const boost::json::value* Present(const boost::json::object& body,
                                  std::string_view field) {
  const boost::json::value* v = body.if_contains(field);
  return v == nullptr || v->is_null() ? nullptr : v;
}

core::Status Missing(std::string_view field) {
  return core::InvalidArgumentError("'" + std::string(field) + "' is required");
}

}  // namespace

core::Result<std::optional<std::string>> OptionalString(
    const boost::json::object& body, std::string_view field) {
  const boost::json::value* v = Present(body, field);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) {
    return core::InvalidArgumentError("'" + std::string(field) +
                                      "' must be a string");
  }
  return std::optional<std::string>(std::string(v->get_string()));
}

core::Result<std::string> RequiredString(const boost::json::object& body,
                                         std::string_view field) {
  ASSIGN_OR_RETURN(std::optional<std::string> s, OptionalString(body, field));
  if (!s.has_value()) return Missing(field);
  if (s->empty()) {
    return core::InvalidArgumentError("'" + std::string(field) +
                                      "' must not be empty");
  }
  return std::move(*s);
}

core::Result<std::optional<int64_t>> OptionalQuantity(
    const boost::json::object& body, std::string_view field) {
  const boost::json::value* v = Present(body, field);
  if (v == nullptr) return std::optional<int64_t>();
  ASSIGN_OR_RETURN(int64_t q, domain::common::ParseQuantity(*v, field));
  return std::optional<int64_t>(q);
}

core::Result<int64_t> RequiredQuantity(const boost::json::object& body,
                                       std::string_view field) {
  ASSIGN_OR_RETURN(std::optional<int64_t> q, OptionalQuantity(body, field));
  if (!q.has_value()) return Missing(field);
  return *q;
}

core::Result<std::optional<int64_t>> OptionalMoney(
    const boost::json::object& body, std::string_view field) {
  const boost::json::value* v = Present(body, field);
  if (v == nullptr) return std::optional<int64_t>();
  ASSIGN_OR_RETURN(int64_t m, domain::common::ParseMoney(*v, field));
  return std::optional<int64_t>(m);
}

core::Result<std::optional<bool>> OptionalBool(const boost::json::object& body,
                                               std::string_view field) {
  const boost::json::value* v = Present(body, field);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_bool()) {
    return core::InvalidArgumentError("'" + std::string(field) +
                                      "' must be true or false");
  }
  return std::optional<bool>(v->get_bool());
}

}  // namespace stockpile::api
