# Writes a C++ source that embeds files as StaticAsset entries
# (src/api/static_routes.h), run at build time:
#
#   cmake -DOUTPUT=web_assets.cc -DDIR=web -P EmbedWebAssets.cmake
#
# Each file becomes one string literal of \xNN escapes (every byte escaped,
# so no escape runs into the next character), plus its SHA-256 for the ETag.
# The dashboard is a flat folder: files directly in DIR, by name.
cmake_minimum_required(VERSION 3.25)

file(GLOB FILES LIST_DIRECTORIES false "${DIR}/*")
list(FILTER FILES EXCLUDE REGEX "/\\.[^/]*$")  # editor and OS dotfiles
list(SORT FILES)

set(body "")
set(table "")
set(index 0)
foreach(file IN LISTS FILES)
  get_filename_component(name "${file}" NAME)
  file(READ "${file}" hex HEX)
  file(SHA256 "${file}" sha)
  string(REGEX REPLACE "(..)" "\\\\x\\1" escaped "${hex}")
  string(APPEND body "constexpr char kAsset${index}[] = \"${escaped}\";\n")
  string(APPEND table
    "    {\"${name}\", {kAsset${index}, sizeof(kAsset${index}) - 1}, \"${sha}\"},\n")
  math(EXPR index "${index} + 1")
endforeach()

set(text "// Generated from web/ by cmake/EmbedWebAssets.cmake; do not edit.
#include \"api/static_routes.h\"

namespace stockpile::api {
namespace {

${body}
constexpr StaticAsset kAssets[] = {
${table}};

}  // namespace

std::span<const StaticAsset> DashboardAssets() { return kAssets; }

}  // namespace stockpile::api
")
file(WRITE "${OUTPUT}" "${text}")
