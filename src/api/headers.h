// Headers: an ordered list of HTTP header fields with case-insensitive
// lookup by name (RFC 9110 §5.1). Names keep the spelling they were added
// with; a name may occur more than once.
//
//   Headers h;
//   h.Add("Content-Type", "application/json");
//   h.Get("content-type");   // "application/json"
//
// Thread-safety: a value type; not synchronized.
#ifndef STOCKPILE_API_HEADERS_H_
#define STOCKPILE_API_HEADERS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stockpile::api {

// ASCII case-insensitive equality, for header names and tokens.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field (keeps earlier fields of the same name).
  void Add(std::string_view name, std::string_view value);
  // Replaces every field named `name` by one with `value`.
  void Set(std::string_view name, std::string_view value);
  // The value of the first field named `name`, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  const std::vector<Field>& fields() const { return fields_; }
  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace stockpile::api

#endif  // STOCKPILE_API_HEADERS_H_
