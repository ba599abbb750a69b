# The JSON reader/writer and record JSON tests. Included from
# tests/mobile-core/CMakeLists.txt; paths are relative to tests/mobile-core/.
kawal_add_test(mobile_json_test SOURCES json_test.cc record_json_test.cc LIBS kawal_json)
