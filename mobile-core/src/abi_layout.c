/* The layout of kawal.h's public structs, frozen for ABI 1 (libkawal.so.1):
 * compiling libkawal fails if an edit moves a field or changes a frozen
 * size. Growing structs may only grow at the end (kawal.h). Compiled as C,
 * as an app would. */
#include <stddef.h>
#include <stdint.h>

#include "kawal/kawal.h"

_Static_assert(sizeof(kawal_error_t) == sizeof(int) + KAWAL_ERROR_MESSAGE_SIZE,
               "kawal_error_t is frozen");
_Static_assert(offsetof(kawal_progress_t, struct_size) == 0, "struct_size comes first");

#if UINTPTR_MAX == UINT64_MAX /* LP64 (arm64, x86-64); 32-bit ABIs differ */
_Static_assert(KAWAL_PROGRESS_MIN_SIZE == 88, "the first kawal_progress_t layout is 88 bytes");
_Static_assert(offsetof(kawal_progress_t, photo_bytes_sent) == 88,
               "kawal_progress_t fields only ever go at the end");
_Static_assert(sizeof(kawal_progress_t) == 104,
               "kawal_progress_t grew: record its previous size in the ABI test");
#endif
