# Helper functions every component uses, so that targets are declared one way.
#
#   bramka_library(NAME SOURCES ... DEPS ...)       static library bramka_<NAME>
#   bramka_test(NAME SOURCES ... DEPS ... [LABELS]) GoogleTest binary, registered in ctest
#   bramka_fuzz(NAME SOURCE file DEPS ... CORPUS dir) libFuzzer target (fuzz preset) and,
#                                                   in every build, a corpus replay test
#   bramka_bench(NAME SOURCES ... DEPS ...)         Google Benchmark binary, never a test

set(BRAMKA_WARNINGS -Wall -Wextra -Wpedantic -Wshadow)
if(BRAMKA_WERROR)
  list(APPEND BRAMKA_WARNINGS -Werror)
endif()

function(bramka_target_defaults target)
  target_compile_options(${target} PRIVATE ${BRAMKA_WARNINGS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()

function(bramka_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(bramka_${name} STATIC ${ARG_SOURCES})
  bramka_target_defaults(bramka_${name})
  target_link_libraries(bramka_${name} PUBLIC ${ARG_DEPS})
endfunction()

function(bramka_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  bramka_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "unit;${ARG_LABELS}")
endfunction()

function(bramka_fuzz name)
  cmake_parse_arguments(ARG "" "SOURCE;CORPUS" "DEPS" ${ARGN})
  if(BRAMKA_FUZZ)
    add_executable(${name}_fuzz ${ARG_SOURCE})
    bramka_target_defaults(${name}_fuzz)
    target_compile_options(${name}_fuzz PRIVATE -fsanitize=fuzzer)
    target_link_options(${name}_fuzz PRIVATE -fsanitize=fuzzer)
    target_link_libraries(${name}_fuzz PRIVATE ${ARG_DEPS})
  endif()
  # The corpus replays in every build through a tiny driver.
  add_executable(${name}_corpus_replay ${ARG_SOURCE} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cc)
  bramka_target_defaults(${name}_corpus_replay)
  target_link_libraries(${name}_corpus_replay PRIVATE ${ARG_DEPS})
  add_test(NAME ${name}_corpus_replay COMMAND ${name}_corpus_replay ${ARG_CORPUS})
  set_tests_properties(${name}_corpus_replay PROPERTIES LABELS "fuzz-replay")
endfunction()

function(bramka_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  bramka_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark benchmark::benchmark_main)
endfunction()
