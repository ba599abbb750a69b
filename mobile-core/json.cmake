# kawal_json: the mobile core's strict JSON reader/writer and the
# schema-typed record conversion (src/json.h, src/record_json.h). Included
# from mobile-core/CMakeLists.txt; paths are relative to mobile-core/.
add_library(kawal_json STATIC src/json.cc src/record_json.cc)
# include/: PhotoView (kawal/mobile/device.h), a plain struct.
target_include_directories(kawal_json PUBLIC src include)
target_link_libraries(kawal_json PUBLIC kawal_sync absl::status absl::statusor absl::strings absl::str_format)
