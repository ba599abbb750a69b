# Install rules and the Debian package (CPack DEB) for Kawal Desa.
# Included at the end of the top-level CMakeLists.txt.
#
#   cmake --build build                       # build first
#   cmake --build build --target package      # -> build/kawal-desa_<ver>_<arch>.deb
#   cpack --config build/CPackConfig.cmake -B /tmp/pkg   # same, output elsewhere
#
# Install folders come from GNUInstallDirs (included by the top-level
# CMakeLists.txt): bin, share, include, and lib, which is lib/<multiarch>
# (lib/x86_64-linux-gnu) on Debian when CMAKE_INSTALL_PREFIX is /usr, as
# release packages are configured (deploy/README.md), else lib.
#
# Layout (package prefix /usr):
#   /usr/bin/kawal-server, kawal-admin, kawal-report, kawal-field, kawal-web
#   /usr/share/kawal/wilayah.csv                 regions (Kemendagri code,name)
#   /usr/share/doc/kawal-desa/                   README.md, docs/*.md, deploy.md
#   /usr/lib/systemd/system/kawal-server.service, kawal-web.service  (systemd's
#                                                folder: never multiarch)
#   /etc/default/kawal-server, kawal-web         settings (conffiles)
# deploy/debian/postinst creates the user kawal and /var/lib/kawal/{data,backups};
# deploy/debian/prerm stops the service. See deploy/README.md.
#
# One build makes three packages (CPack components): kawal-desa (the
# above, CMake's "Unspecified" component), and for app developers the pair
# libkawal1 (/usr/<libdir>/libkawal.so.1*, the runtime) and libkawal-dev
# (/usr/include/kawal/kawal.h, the libkawal.so link and
# /usr/<libdir>/pkgconfig/kawal.pc), installed by mobile-core/shared_library.cmake.

foreach(_kawal_tool kawal-server kawal-admin kawal-report kawal-field kawal-web)
  if(TARGET ${_kawal_tool})
    install(TARGETS ${_kawal_tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()

install(FILES ${PROJECT_SOURCE_DIR}/server/regions/wilayah.csv DESTINATION ${CMAKE_INSTALL_DATADIR}/kawal)

# Debian's doc folder is named after the package (CMAKE_INSTALL_DOCDIR would
# be share/doc/kawal_desa, after the project).
set(_kawal_docdir ${CMAKE_INSTALL_DATAROOTDIR}/doc/kawal-desa)
file(GLOB _kawal_docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${_kawal_docs} DESTINATION ${_kawal_docdir})
install(FILES ${PROJECT_SOURCE_DIR}/deploy/README.md DESTINATION ${_kawal_docdir}
        RENAME deploy.md)

install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/kawal-server.service
              ${PROJECT_SOURCE_DIR}/deploy/systemd/kawal-web.service
        DESTINATION lib/systemd/system)
# Absolute on purpose: /etc/default belongs to the system, not to the prefix.
# (A `cmake --install --prefix ~/x` as non-root therefore fails here; that
# install is for the package.)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/kawal-server.default
        DESTINATION /etc/default RENAME kawal-server)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/kawal-web.default
        DESTINATION /etc/default RENAME kawal-web)

# The server looks for the regions file at ${CMAKE_INSTALL_FULL_DATADIR}/kawal
# (compiled in) and the unit passes --regions_file=/usr/share/kawal/wilayah.csv
# explicitly, so a package built with another prefix still works; configuring
# with -DCMAKE_INSTALL_PREFIX=/usr makes the compiled-in path match as well.
set(KAWAL_PACKAGE_PREFIX /usr)
if(NOT CMAKE_INSTALL_PREFIX STREQUAL KAWAL_PACKAGE_PREFIX)
  message(STATUS "Packaging: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; the .deb installs to "
                 "${KAWAL_PACKAGE_PREFIX}, libkawal in ${KAWAL_PACKAGE_PREFIX}/${CMAKE_INSTALL_LIBDIR} "
                 "(configure with -DCMAKE_INSTALL_PREFIX=/usr for release packages: the "
                 "multiarch lib folder on Debian)")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kawal-desa)
set(CPACK_PACKAGE_VENDOR "Kawal Desa")
set(CPACK_PACKAGE_CONTACT "Kawal Desa developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Kawal Desa village-data sync server and tools")
set(CPACK_PACKAGE_DESCRIPTION
"kawal-server keeps a district's or province's village records in RocksDB and
syncs them with field devices over gRPC, with online incremental backups.
kawal-admin manages users, backups and restores; kawal-report prints district
reports; kawal-web is the officers' dashboard; kawal-field is the command-line
field client. Includes hardened
systemd units (kawal-server.service, kawal-web.service) and the Kemendagri
regions file.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${KAWAL_PACKAGE_PREFIX})
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Kawal Desa developers")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Runtime library packages (librocksdb7.8, libgrpc++1.51, ...) computed by
# dpkg-shlibdeps from the binaries, never the -dev packages of the build.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL Unspecified libkawal libkawal_dev)
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_NAME kawal-desa)
# What the maintainer scripts use, beyond the libraries.
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_LIBKAWAL_PACKAGE_NAME libkawal1)
set(CPACK_DEBIAN_LIBKAWAL_PACKAGE_SECTION libs)
# A shlibs file for packages that link libkawal.so.1 (only libkawal1 has a
# shared library, so only it gets one).
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_COMPONENT_LIBKAWAL_DESCRIPTION
"Kawal Desa mobile core, shared library
libkawal.so.1: the on-device store and sync client of Kawal Desa behind a
C API, for field apps (see libkawal-dev).")
set(CPACK_DEBIAN_LIBKAWAL_DEV_PACKAGE_NAME libkawal-dev)
set(CPACK_DEBIAN_LIBKAWAL_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_LIBKAWAL_DEV_PACKAGE_DEPENDS "libkawal1 (= ${PROJECT_VERSION})")
set(CPACK_COMPONENT_LIBKAWAL_DEV_DESCRIPTION
"Kawal Desa mobile core, development files
The C header kawal/kawal.h, the libkawal.so link and kawal.pc for pkg-config.")
# /etc/default/kawal-server is a conffile: dpkg keeps the administrator's
# edits on upgrade (and asks when the packaged default changed too).
file(WRITE ${PROJECT_BINARY_DIR}/deb-control/conffiles "/etc/default/kawal-server\n/etc/default/kawal-web\n")
# Per component: one without its own list would get the global one, so only
# kawal-desa names the server's maintainer scripts (libkawal1's postinst
# running ldconfig is CPack's, from GENERATE_SHLIBS).
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
  ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
  ${PROJECT_BINARY_DIR}/deb-control/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
