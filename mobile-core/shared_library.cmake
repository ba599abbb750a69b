# libkawal.so.1: the mobile core as the shared library apps ship
# (docs/mobile-core.md, "The shared library"). It is kawal_mobile and the
# project's static libraries under it, whole, behind the C API of
# kawal/kawal.h: the version script exports only kawal_* (everything else,
# our C++ and the statically linked code, is local), so the ABI is exactly
# the header's. Debian's protobuf, gRPC, RocksDB and Abseil stay shared
# dependencies (ldd).
# The SONAME's number is kawal.h's KAWAL_ABI_VERSION (bumped on any
# incompatible change), read from there so the two cannot disagree.
file(STRINGS include/kawal/kawal.h _kawal_abi REGEX "^#define KAWAL_ABI_VERSION [0-9]+$")
string(REGEX REPLACE ".* " "" _kawal_abi "${_kawal_abi}")
set(KAWAL_ABI_VERSION ${_kawal_abi} CACHE INTERNAL "libkawal's ABI version (kawal.h)")

# Everything linked into a shared object must be position independent.
set_target_properties(kawal_mobile kawal_json kawal_sync kawal_common kawal_common_crypto
  kawal_common_grpc kawal_common_rocks kawal_common_tls kawal_grpc kawal_proto
  PROPERTIES POSITION_INDEPENDENT_CODE ON)

# abi_layout.c: the public structs' layout, checked at compile time.
add_library(kawal SHARED src/abi_layout.c)
target_include_directories(kawal PUBLIC include)
target_link_libraries(kawal PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,kawal_mobile>")
set_target_properties(kawal PROPERTIES
  VERSION ${PROJECT_VERSION} SOVERSION ${KAWAL_ABI_VERSION}
  LINK_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/libkawal.map)
target_link_options(kawal PRIVATE
  "-Wl,--version-script=${CMAKE_CURRENT_SOURCE_DIR}/src/libkawal.map" "-Wl,--no-undefined")
set_property(SOURCE src/c_api_version.cc APPEND PROPERTY COMPILE_DEFINITIONS
  KAWAL_LIBRARY_VERSION="${PROJECT_VERSION}")

# Install: runtime (the .so.1 and its version link) and development (the
# header, the .so link and kawal.pc) as separate CPack components, which
# cmake/Packaging.cmake turns into libkawal1 and libkawal-dev.
# CMAKE_INSTALL_LIBDIR and _INCLUDEDIR: GNUInstallDirs, included at the top.
file(RELATIVE_PATH KAWAL_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
string(REGEX REPLACE "/$" "" KAWAL_PC_TO_PREFIX "${KAWAL_PC_TO_PREFIX}")
configure_file(kawal.pc.in ${CMAKE_CURRENT_BINARY_DIR}/kawal.pc @ONLY)
install(TARGETS kawal
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT libkawal NAMELINK_SKIP)
install(TARGETS kawal
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT libkawal_dev NAMELINK_ONLY)
install(FILES include/kawal/kawal.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kawal
  COMPONENT libkawal_dev)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/kawal.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT libkawal_dev)
