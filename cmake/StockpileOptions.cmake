# Compiler flags shared by every Stockpile target, and the helpers that
# declare a layer library and its tests.

add_library(stockpile_flags INTERFACE)
target_compile_options(stockpile_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wformat=2
  -Wimplicit-fallthrough
  # Designated initializers leave the rest at their defaults on purpose.
  -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false positives inside libstdc++'s std::string at -O3
  # (GCC bugs 105329, 105651); they are not in our code.
  target_compile_options(stockpile_flags INTERFACE
    -Wno-restrict -Wno-array-bounds -Wno-stringop-overflow)
endif()
if(STOCKPILE_WERROR)
  target_compile_options(stockpile_flags INTERFACE -Werror)
endif()

if(STOCKPILE_SANITIZE)
  set(_san_flags -fsanitize=${STOCKPILE_SANITIZE} -fno-omit-frame-pointer
                 -fno-sanitize-recover=all)
  add_compile_options(${_san_flags})
  add_link_options(${_san_flags})
  if(STOCKPILE_SANITIZE MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC warns that TSan does not model atomic_thread_fence, which Asio's
    # fenced blocks use; Asio's own locks give TSan the ordering it checks.
    add_compile_options(-Wno-tsan)
  endif()
endif()

if(STOCKPILE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "STOCKPILE_FUZZ=ON needs clang (libFuzzer): "
                        "-DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(STOCKPILE_SANITIZE)
    message(FATAL_ERROR "STOCKPILE_FUZZ=ON brings its own sanitizers; "
                        "leave STOCKPILE_SANITIZE empty")
  endif()
  # Coverage instrumentation everywhere; libFuzzer's main is linked only into
  # the fuzz binaries (fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# stockpile_layer(NAME SOURCES... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Declares the library stockpile_<NAME> for the layer folder src/<NAME>.
# Every layer includes headers as "layer/header.h" from src/.
function(stockpile_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(stockpile_${name} STATIC ${ARG_SOURCES})
  target_include_directories(stockpile_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(stockpile_${name}
    PUBLIC ${ARG_PUBLIC_DEPS}
    PRIVATE stockpile_flags ${ARG_PRIVATE_DEPS})
  set_property(GLOBAL APPEND PROPERTY STOCKPILE_RELEASE_TARGETS stockpile_${name})
endfunction()

# stockpile_test(NAME SOURCES... DEPS ... [LABELS ...])
# A GoogleTest binary; each TEST becomes its own ctest entry.
# Label "concurrency" marks tests that also run under ThreadSanitizer.
function(stockpile_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(STOCKPILE_ONLY_CONCURRENCY_TESTS AND NOT "concurrency" IN_LIST ARG_LABELS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE stockpile_flags ${ARG_DEPS}
                        GTest::gmock GTest::gtest_main)
  if("concurrency" IN_LIST ARG_LABELS)
    set_property(GLOBAL APPEND PROPERTY STOCKPILE_CONCURRENCY_TESTS ${name})
  endif()
  if("integration" IN_LIST ARG_LABELS)
    set_property(GLOBAL APPEND PROPERTY STOCKPILE_RELEASE_TARGETS ${name})
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 60
    TEST_LIST ${name}_TESTS)
  # gtest_discover_tests(PROPERTIES LABELS a;b) loses the list, so the labels
  # are set by a script that runs after discovery, over the discovered names.
  set(labels_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake")
  file(WRITE "${labels_file}"
    "foreach(t IN LISTS ${name}_TESTS)\n"
    "  set_tests_properties(\"\${t}\" PROPERTIES LABELS \"${ARG_LABELS}\" TIMEOUT 600)\n"
    "endforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${labels_file}")
endfunction()

# Called once at the end of the top-level CMakeLists.txt: the target
# `concurrency_tests` builds only the test binaries labelled "concurrency",
# which scripts/test runs under ThreadSanitizer.
function(stockpile_concurrency_target)
  get_property(tests GLOBAL PROPERTY STOCKPILE_CONCURRENCY_TESTS)
  add_custom_target(concurrency_tests)
  if(tests)
    add_dependencies(concurrency_tests ${tests})
  endif()
endfunction()

# Called once at the end of the top-level CMakeLists.txt: the target
# `ci_release` builds what the Release stage of scripts/test checks with
# optimisations on: every layer library, the `stockpile` binary (e2e tests),
# the benchmarks, and the test binaries labelled "integration". Unit tests
# are built and run by the ASan stage (and the concurrency ones again by
# TSan), so the Release stage does not compile them a third time.
function(stockpile_release_target)
  get_property(targets GLOBAL PROPERTY STOCKPILE_RELEASE_TARGETS)
  add_custom_target(ci_release)
  add_dependencies(ci_release stockpile ${targets})
endfunction()
