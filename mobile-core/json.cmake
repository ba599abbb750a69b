# kawal_json: the mobile core's JSON (src/json.h: a DOM, a strict parser on
# nlohmann/json and a compact writer) and the schema-typed record
# conversion (src/record_json.h), write operations as JSON
# (src/write_ops_json.h). Private to mobile-core: its headers are in
# src/, reachable only by what links kawal_json directly (kawal_mobile,
# kawal-field, the tests). Included from mobile-core/CMakeLists.txt; paths
# are relative to mobile-core/.
add_library(kawal_json STATIC src/json.cc src/record_json.cc src/write_ops_json.cc)
# include/: PhotoView and WriteOp (kawal/mobile/device.h), plain structs.
target_include_directories(kawal_json PUBLIC src include)
target_link_libraries(kawal_json PUBLIC kawal_sync absl::status absl::statusor absl::strings
  PRIVATE nlohmann_json::nlohmann_json)
