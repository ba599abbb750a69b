# Checks libkawal.so's dynamic symbol table: it exports exactly the
# functions kawal/kawal.h declares (nothing of the C++ inside or of the
# statically linked libraries), and its SONAME is libkawal.so.<ABI>.
#   cmake -DLIB=libkawal.so -DHEADER=kawal.h -DSONAME=libkawal.so.1 -P libkawal_exports.cmake
find_program(NM nm REQUIRED)
find_program(OBJDUMP objdump REQUIRED)

execute_process(COMMAND ${NM} -D --defined-only ${LIB} OUTPUT_VARIABLE nm_out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -D --defined-only ${LIB} failed (${rc})")
endif()
string(REPLACE "\n" ";" nm_lines "${nm_out}")
set(exported "")
foreach(line IN LISTS nm_lines)
  # "0000000000012345 T kawal_version@@KAWAL_1"; "A KAWAL_1" is the version node.
  if(line MATCHES "^[0-9a-f]+ ([A-Za-z]) ([^@ ]+)")
    if(NOT CMAKE_MATCH_1 STREQUAL "A")
      list(APPEND exported ${CMAKE_MATCH_2})
    endif()
  endif()
endforeach()

file(STRINGS ${HEADER} header_lines)
set(declared "")
foreach(line IN LISTS header_lines)
  # Declarations start at column 0 with their return type.
  if(line MATCHES "^[a-z][A-Za-z0-9_ *]*[ *](kawal_[a-z0-9_]+)\\(")
    list(APPEND declared ${CMAKE_MATCH_1})
  endif()
endforeach()

list(SORT exported)
list(SORT declared)
list(LENGTH exported n_exported)
list(LENGTH declared n_declared)
set(extra ${exported})
list(REMOVE_ITEM extra ${declared})
set(missing ${declared})
list(REMOVE_ITEM missing ${exported})
if(extra OR missing OR n_declared EQUAL 0)
  message(FATAL_ERROR "libkawal exports differ from kawal.h\n  exported but not declared: ${extra}\n"
                      "  declared but not exported: ${missing}")
endif()

execute_process(COMMAND ${OBJDUMP} -p ${LIB} OUTPUT_VARIABLE dump)
if(NOT dump MATCHES "SONAME +${SONAME}\n")
  message(FATAL_ERROR "${LIB} has no SONAME ${SONAME}")
endif()
message(STATUS "${n_exported} symbols exported, all kawal_* of kawal.h; SONAME ${SONAME}")
