#include "api/response.h"

#include <utility>

namespace stockpile::api {

Response Response::Json(int status, std::string json) {
  return Text(status, std::move(json), "application/json");
}

Response Response::Text(int status, std::string text,
                        std::string_view content_type) {
  Response r;
  r.status = status;
  r.headers.Add("Content-Type", content_type);
  r.body = std::move(text);
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::Stream(int status, std::string_view content_type,
                          StreamStarter starter) {
  Response r;
  r.status = status;
  r.headers.Add("Content-Type", content_type);
  r.stream = std::move(starter);
  return r;
}

Response&& Response::WithHeader(std::string_view name,
                                std::string_view value) && {
  headers.Add(name, value);
  return std::move(*this);
}

}  // namespace stockpile::api
