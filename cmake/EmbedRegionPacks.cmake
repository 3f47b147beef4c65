# Writes a C++ source that embeds the region packs (data/regions/*.json) as
# EmbeddedRegionFile entries (src/domain/calendar/region_pack.h), run at
# build time:
#
#   cmake -DOUTPUT=region_packs.cc -DDIR=data/regions -P EmbedRegionPacks.cmake
#
# Each file becomes one string literal of \xNN escapes, as in
# EmbedWebAssets.cmake.
cmake_minimum_required(VERSION 3.25)

file(GLOB FILES LIST_DIRECTORIES false "${DIR}/*.json")
list(SORT FILES)

set(body "")
set(table "")
set(index 0)
foreach(file IN LISTS FILES)
  get_filename_component(name "${file}" NAME)
  file(READ "${file}" hex HEX)
  string(REGEX REPLACE "(..)" "\\\\x\\1" escaped "${hex}")
  string(APPEND body "constexpr char kPack${index}[] = \"${escaped}\";\n")
  string(APPEND table
    "    {\"${name}\", {kPack${index}, sizeof(kPack${index}) - 1}},\n")
  math(EXPR index "${index} + 1")
endforeach()

set(text "// Generated from data/regions/ by cmake/EmbedRegionPacks.cmake; do not edit.
#include \"domain/calendar/region_pack.h\"

namespace stockpile::domain::calendar {
namespace {

${body}
constexpr EmbeddedRegionFile kFiles[] = {
${table}};

}  // namespace

std::span<const EmbeddedRegionFile> EmbeddedRegionFiles() { return kFiles; }

}  // namespace stockpile::domain::calendar
")
file(WRITE "${OUTPUT}" "${text}")
