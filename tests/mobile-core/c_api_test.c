/* The C API from plain C11: proves kawal/kawal.h compiles as C and that the
 * offline paths work end to end (open, create, get, list, update, pending
 * count, validation errors, status, sync without a server, a report with a
 * photo and the photo list, close). */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "c_check.h"
#include "kawal/kawal.h"

/* Checks a successful call left code 0 and an empty message. */
#define CHECK_OK(err)                                                          \
  do {                                                                         \
    if ((err).code != 0 || (err).message[0] != '\0') {                         \
      fprintf(stderr, "%s:%d: unexpected error %d: %s\n", __FILE__, __LINE__, \
              (err).code, (err).message);                                      \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

#define CHECK_CONTAINS(text, part)                                                 \
  do {                                                                             \
    const char* t_ = (text);                                                       \
    if (t_ == NULL || strstr(t_, (part)) == NULL) {                                \
      fprintf(stderr, "%s:%d: expected \"%s\" in: %s\n", __FILE__, __LINE__, (part), \
              t_ == NULL ? "(null)" : t_);                                         \
      ++failures;                                                                  \
    }                                                                              \
  } while (0)

/* What the progress callback saw. */
struct progress_seen {
  int calls;
  int handshake;    /* a call had phase "handshake" */
  int same_pointer; /* every call got the struct kawal_sync was given */
  const void* expected;
};

static void record_progress(const kawal_progress_t* progress, void* user_data) {
  struct progress_seen* seen = (struct progress_seen*)user_data;
  if (seen->calls++ == 0) seen->same_pointer = 1;
  if ((const void*)progress != seen->expected) seen->same_pointer = 0;
  if (progress->phase != NULL && strcmp(progress->phase, "handshake") == 0) seen->handshake = 1;
}

static const char kDesa[] = "62.10.01.2001";
static const char kFields[] =
    "{\"name\":\"Jalan usaha tani\",\"year\":2026,\"sector\":2,\"status\":\"planned\","
    "\"budget\":{\"DDS\":150000000},\"sdg_goals\":[9,1]}";

int main(void) {
  char home[] = "/tmp/kawal_c_api_XXXXXX";
  if (mkdtemp(home) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  kawal_error_t err;
  memset(&err, 0x55, sizeof err); /* garbage: success must reset it */

  kawal_device_t* device = kawal_device_open(home, "c-test", &err);
  CHECK(device != NULL);
  CHECK_OK(err);
  if (device == NULL) {
    fprintf(stderr, "open failed: %d %s\n", err.code, err.message);
    return 1;
  }

  /* Create, then read back with get and list. */
  char* id = kawal_record_create(device, "activity", kDesa, kFields, &err);
  CHECK(id != NULL);
  CHECK_OK(err);
  if (id == NULL) {
    fprintf(stderr, "create failed: %d %s\n", err.code, err.message);
    return 1;
  }
  CHECK(strlen(id) == 32);

  char* record = kawal_record_get(device, "activity", id, &err);
  CHECK_OK(err);
  CHECK_CONTAINS(record, "\"collection\":\"activity\"");
  CHECK_CONTAINS(record, id);
  CHECK_CONTAINS(record, "\"scope\":\"62.10.01.2001\"");
  CHECK_CONTAINS(record, "\"deleted\":false,\"pending\":true");
  CHECK_CONTAINS(record, "\"name\":\"Jalan usaha tani\"");
  CHECK_CONTAINS(record, "\"budget\":{\"DDS\":150000000}");
  CHECK_CONTAINS(record, "\"sdg_goals\":[9,1]");
  CHECK_CONTAINS(record, "\"year\":2026");
  kawal_string_free(record);

  char* list = kawal_record_list(device, NULL, &err);
  CHECK_OK(err);
  CHECK(list != NULL && list[0] == '[');
  CHECK_CONTAINS(list, id);
  CHECK_CONTAINS(list, "\"pending\":true");
  kawal_string_free(list);

  list = kawal_record_list(device, "{\"region\":\"62.10.01\",\"year\":2026,\"status\":\"planned\"}",
                           &err);
  CHECK_OK(err);
  CHECK_CONTAINS(list, id);
  kawal_string_free(list);
  list = kawal_record_list(device, "{\"year\":2025}", &err);
  CHECK_OK(err);
  CHECK(list != NULL && strcmp(list, "[]") == 0);
  kawal_string_free(list);

  /* Update; still one pending record. */
  CHECK(kawal_record_update(device, "activity", id, "{\"physical_progress_pct\":40.5}", &err) == 0);
  CHECK_OK(err);
  record = kawal_record_get(device, "activity", id, &err);
  CHECK_CONTAINS(record, "\"physical_progress_pct\":40.5");
  kawal_string_free(record);
  CHECK(kawal_pending_count(device, &err) == 1);
  CHECK_OK(err);

  /* An invalid write fails with INVALID_ARGUMENT naming the field. */
  char* bad = kawal_record_create(
      device, "activity", kDesa,
      "{\"name\":\"x\",\"year\":2026,\"sector\":9,\"status\":\"planned\"}", &err);
  CHECK(bad == NULL);
  CHECK(err.code == 3);
  CHECK_CONTAINS(err.message, "sector");
  kawal_string_free(bad); /* NULL is ignored */
  CHECK(kawal_record_update(device, "activity", id, "{\"sector\":9}", &err) == -1);
  CHECK(err.code == 3);
  CHECK_CONTAINS(err.message, "sector");
  CHECK(kawal_pending_count(device, NULL) == 1);

  /* A NULL error pointer is accepted, on success and on failure. */
  CHECK(kawal_record_update(device, "activity", id, "{\"status\":\"in_progress\"}", NULL) == 0);
  CHECK(kawal_record_update(device, "activity", id, "{\"sector\":9}", NULL) == -1);
  CHECK(kawal_record_get(device, "activity", "no-such-id", NULL) == NULL);
  CHECK(kawal_record_get(NULL, "activity", id, NULL) == NULL);

  /* NULL handle and NULL arguments: INVALID_ARGUMENT naming them. */
  CHECK(kawal_pending_count(NULL, &err) == -1);
  CHECK(err.code == 3);
  CHECK_CONTAINS(err.message, "device");
  CHECK(kawal_record_create(device, "activity", kDesa, NULL, &err) == NULL);
  CHECK(err.code == 3);
  CHECK_CONTAINS(err.message, "fields_json");
  CHECK(kawal_record_get(device, "activity", "no-such-id", &err) == NULL);
  CHECK(err.code == 5);

  /* Status. */
  char* status = kawal_status(device, &err);
  CHECK_OK(err);
  CHECK_CONTAINS(status, "\"pending_records\":1");
  CHECK_CONTAINS(status, "\"rejected_records\":0");
  CHECK_CONTAINS(status, "\"scopes\":[]");
  CHECK_CONTAINS(status, "\"last_sync_ms\":0");
  kawal_string_free(status);

  /* Sync without a server fails cleanly. */
  char* report = kawal_sync(device, NULL, NULL, NULL, NULL, &err);
  CHECK(report == NULL);
  CHECK(err.code != 0);
  CHECK(err.message[0] != '\0');
  kawal_string_free(report);

  /* An app built against the first kawal_progress_t (no photo fields) on
   * this library: the library fills that prefix and writes nothing past its
   * struct_size. The server is a closed port, so the sync reports
   * "handshake" once and then fails. */
  {
    typedef struct {
      uint32_t struct_size;
      const char* phase;
      uint64_t records_pushed, records_to_push, records_pulled, records_to_pull;
      uint64_t bytes_sent, bytes_received;
      int attempt;
      uint64_t bytes_to_send, bytes_to_receive;
    } old_progress_t;
    struct {
      old_progress_t progress;
      unsigned char after[64];
    } buffer;
    memset(&buffer, 0xAB, sizeof buffer);
    buffer.progress.struct_size = sizeof(old_progress_t);
    CHECK(sizeof(old_progress_t) == KAWAL_PROGRESS_MIN_SIZE);
    CHECK(kawal_device_configure(device, "127.0.0.1:1", "token", &err) == 0);
    CHECK_OK(err);
    struct progress_seen seen = {0, 0, 0, &buffer.progress};
    report = kawal_sync(device, "{\"max_attempts\":1,\"rpc_timeout_ms\":5000}", record_progress,
                        (kawal_progress_t*)&buffer.progress, &seen, &err);
    CHECK(report == NULL);
    CHECK(err.code != 0);
    kawal_string_free(report);
    CHECK(seen.calls >= 1);
    CHECK(seen.handshake);
    CHECK(seen.same_pointer);
    CHECK(buffer.progress.struct_size == sizeof(old_progress_t));
    for (size_t i = 0; i < sizeof buffer.after; ++i) CHECK(buffer.after[i] == 0xAB);
  }

  /* A report with a photo, then the photo list. */
  {
    char photo_path[600];
    snprintf(photo_path, sizeof photo_path, "%s/site.jpg", home);
    FILE* f = fopen(photo_path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
      static const unsigned char kJpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F',
                                            'I',  'F',  0x00, 0x01, 0x02, 0x03, 0xFF, 0xD9};
      fwrite(kJpeg, 1, sizeof kJpeg, f);
      fclose(f);
    }
    char fields[256];
    snprintf(fields, sizeof fields,
             "{\"activity_id\":\"%s\",\"visit_date\":\"2026-11-20\","
             "\"physical_progress_pct\":50}",
             id);
    char photos[900];
    snprintf(photos, sizeof photos,
             "[{\"file\":\"%s\",\"stage\":\"50\",\"taken_at_ms\":1790000000000,"
             "\"lat\":-1.5,\"lon\":113.5,\"accuracy_m\":8,\"caption\":\"talud\"}]",
             photo_path);
    char* report_id = kawal_report_create(device, kDesa, fields, photos, &err);
    CHECK_OK(err);
    CHECK(report_id != NULL && strlen(report_id) == 32);
    char* photo_list = kawal_photo_list(device, id, &err);
    CHECK_OK(err);
    CHECK_CONTAINS(photo_list, "\"stage\":\"50\"");
    CHECK_CONTAINS(photo_list, "\"content_type\":\"image/jpeg\"");
    CHECK_CONTAINS(photo_list, "\"size\":16");
    CHECK_CONTAINS(photo_list, "\"local\":true");
    CHECK_CONTAINS(photo_list, "\"uploaded\":false");
    if (report_id != NULL) CHECK_CONTAINS(photo_list, report_id);
    kawal_string_free(photo_list);
    photo_list = kawal_photo_list(device, NULL, &err);
    CHECK_OK(err);
    CHECK_CONTAINS(photo_list, "\"sha256\":\"");
    kawal_string_free(photo_list);

    /* Bad photos_json: INVALID_ARGUMENT, nothing saved. */
    char* none = kawal_report_create(device, kDesa, fields, "{\"file\":1}", &err);
    CHECK(none == NULL);
    CHECK(err.code == 3);
    CHECK_CONTAINS(err.message, "photos_json");
    none = kawal_report_create(device, kDesa, fields, "[{\"file\":\"x.jpg\"}]", &err);
    CHECK(none == NULL);
    CHECK(err.code == 3);
    CHECK_CONTAINS(err.message, "stage");
    /* A photo fetch without a server fails cleanly. */
    CHECK(kawal_photo_fetch(device, "00", photo_path, NULL, &err) == -1);
    CHECK(err.code != 0);
    kawal_string_free(report_id);
    /* The report and the photo are pending; the checks below expect only the activity. */
  }

  /* Delete hides the record from list unless include_deleted. */
  CHECK(kawal_record_delete(device, "activity", id, &err) == 0);
  CHECK_OK(err);
  list = kawal_record_list(device, "{\"collection\":\"activity\"}", &err);
  CHECK(list != NULL && strcmp(list, "[]") == 0);
  kawal_string_free(list);
  list = kawal_record_list(device, "{\"include_deleted\":true}", &err);
  CHECK_OK(err);
  CHECK_CONTAINS(list, "\"deleted\":true");
  CHECK_CONTAINS(list, id);
  kawal_string_free(list);

  kawal_string_free(id);
  kawal_device_close(device);
  kawal_device_close(NULL);
  kawal_sync_cancel(NULL);

  /* Reopening keeps the data. */
  device = kawal_device_open(home, NULL, &err);
  CHECK(device != NULL);
  CHECK(kawal_pending_count(device, &err) == 3); /* the activity, the report, the photo */
  kawal_device_close(device);

  return finish(home, "mobile_c_api_c_test");
}
