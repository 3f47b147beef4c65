// The OpenAPI 3.1 document of the HTTP API (docs/openapi.json), compiled
// into the binary so /openapi.json works wherever the binary is installed.
#ifndef STOCKPILE_APP_OPENAPI_DOCUMENT_H_
#define STOCKPILE_APP_OPENAPI_DOCUMENT_H_

#include <string_view>

namespace stockpile::app {

std::string_view OpenApiDocument();

}  // namespace stockpile::app

#endif  // STOCKPILE_APP_OPENAPI_DOCUMENT_H_
