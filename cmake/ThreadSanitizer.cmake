# KAWAL_SANITIZE=thread: every program of the build gets
# tests/support/tsan_absl_sync.cc, which shows ThreadSanitizer the locking of
# Debian's (uninstrumented) Abseil, so that data guarded by an absl::Mutex is
# not reported as racing (the file says how). Included last, once every
# target exists. `make test-tsan` builds and runs the concurrency tests
# (docs/build.md).
add_library(kawal_tsan_absl_sync OBJECT ${PROJECT_SOURCE_DIR}/tests/support/tsan_absl_sync.cc)
target_link_libraries(kawal_tsan_absl_sync PUBLIC absl::synchronization absl::time ${CMAKE_DL_LIBS})

function(kawal_tsan_annotate_programs dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      target_link_libraries(${target} PRIVATE kawal_tsan_absl_sync)
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdir IN LISTS subdirs)
    kawal_tsan_annotate_programs(${subdir})
  endforeach()
endfunction()
kawal_tsan_annotate_programs(${PROJECT_SOURCE_DIR})

# The annotations keep TSan quiet on data an absl::Mutex guards, and hide no
# real race (tests/support/tsan_absl_sync_check.cc).
if(KAWAL_BUILD_TESTS)
  add_executable(tsan_absl_sync_check ${PROJECT_SOURCE_DIR}/tests/support/tsan_absl_sync_check.cc)
  target_link_libraries(tsan_absl_sync_check PRIVATE kawal_tsan_absl_sync Threads::Threads)
  add_test(NAME tsan_absl_sync_guarded COMMAND tsan_absl_sync_check guarded)
  add_test(NAME tsan_absl_sync_racy COMMAND tsan_absl_sync_check racy)
  set_tests_properties(tsan_absl_sync_racy PROPERTIES
    PASS_REGULAR_EXPRESSION "WARNING: ThreadSanitizer: data race")
endif()
