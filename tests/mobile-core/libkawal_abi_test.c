/* An app's view of libkawal.so.1, in plain C linked to the shared library:
 * the version and ABI it reports, indexed queries with paging and counts,
 * the errors for an unknown collection or field, and a change observer
 * (called on the notification thread; nothing after kawal_unobserve). */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "c_check.h"
#include "kawal/kawal.h"

/* What the observer saw, guarded by `mu`. */
struct seen {
  pthread_mutex_t mu;
  pthread_cond_t changed;
  int calls;
  size_t ids;
  pthread_t thread;
};

static void on_change(const char* collection, const char* const* ids, size_t id_count,
                      void* context) {
  struct seen* s = (struct seen*)context;
  pthread_mutex_lock(&s->mu);
  if (strcmp(collection, "activity") == 0 && id_count > 0 && strlen(ids[0]) == 32) {
    s->calls++;
    s->ids += id_count;
    s->thread = pthread_self();
  }
  pthread_cond_broadcast(&s->changed);
  pthread_mutex_unlock(&s->mu);
}

static char* create(kawal_device_t* d, const char* desa, const char* status) {
  char fields[512];
  snprintf(fields, sizeof fields,
           "{\"name\":\"Jalan usaha tani\",\"year\":2026,\"sector\":2,"
           "\"status\":\"%s\",\"budget\":{\"DDS\":1000000}}",
           status);
  kawal_error_t err;
  char* id = kawal_record_create(d, "activity", desa, fields, &err);
  if (id == NULL) fprintf(stderr, "create: %d %s\n", err.code, err.message);
  return id;
}

static int count_of(const char* text, const char* part) {
  int n = 0;
  for (const char* p = text; p != NULL && (p = strstr(p, part)) != NULL; p += strlen(part)) ++n;
  return n;
}

int main(void) {
  int abi = 0;
  const char* version = kawal_version(&abi);
  CHECK(abi == KAWAL_ABI_VERSION);
  CHECK(version != NULL && strlen(version) > 0);
  printf("libkawal %s, ABI %d\n", version, abi);

  char home[] = "/tmp/kawal_abi_XXXXXX";
  if (mkdtemp(home) == NULL) return 1;
  kawal_error_t err;
  kawal_device_t* d = kawal_device_open(home, "abi-test", &err);
  if (d == NULL) {
    fprintf(stderr, "open: %s\n", err.message);
    return 1;
  }

  struct seen seen;
  memset(&seen, 0, sizeof seen);
  pthread_mutex_init(&seen.mu, NULL);
  pthread_cond_init(&seen.changed, NULL);
  int64_t observer = kawal_observe(d, "activity", "{\"region\":\"62.10.01.2001\"}", on_change,
                                   &seen, &err);
  CHECK(observer > 0 && err.code == 0);

  char* a = create(d, "62.10.01.2001", "planned");
  char* b = create(d, "62.10.01.2001", "done");
  char* c = create(d, "62.10.01.2002", "planned");
  CHECK(a != NULL && b != NULL && c != NULL);

  /* Two commits in the observed desa: two calls, one id each. */
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 60;
  pthread_mutex_lock(&seen.mu);
  while (seen.calls < 2) {
    if (pthread_cond_timedwait(&seen.changed, &seen.mu, &deadline) != 0) break;
  }
  CHECK(seen.calls == 2 && seen.ids == 2);
  CHECK(!pthread_equal(seen.thread, pthread_self()));
  pthread_mutex_unlock(&seen.mu);
  CHECK(kawal_unobserve(d, observer, &err) == 0);
  CHECK(kawal_unobserve(d, observer, &err) == -1 && err.code == 5);

  /* Queries: one desa, paged one at a time. */
  char* page = kawal_query(d, "activity", "{\"region\":\"62.10.01.2001\",\"year\":2026,\"limit\":1}",
                           &err);
  CHECK(page != NULL && count_of(page, "\"collection\":\"activity\"") == 1);
  const char* resume = page == NULL ? NULL : strstr(page, "\"resume\":\"");
  CHECK(resume != NULL && resume[10] != '"');
  char query[512] = {0};
  if (resume != NULL) {
    snprintf(query, sizeof query, "{\"region\":\"62.10.01.2001\",\"year\":2026,\"limit\":1,%s}",
             resume);
    char* end = strrchr(query, '}');
    if (end > query && end[-1] == '}') end[0] = '\0'; /* the page's closing brace */
  }
  kawal_string_free(page);
  page = kawal_query(d, "activity", query, &err);
  CHECK(page != NULL && count_of(page, "\"collection\":\"activity\"") == 1);
  CHECK(page != NULL && strstr(page, "\"resume\":\"\"") != NULL);
  kawal_string_free(page);

  CHECK(kawal_count(d, "activity", "{\"region\":\"62.10.01\"}", &err) == 3);
  CHECK(kawal_count(d, "activity", "{\"status\":\"planned\"}", &err) == 2);
  CHECK(kawal_count(d, "activity", NULL, &err) == 3);
  CHECK(kawal_count(d, "activity", "{\"colour\":\"red\"}", &err) == -1 && err.code == 3 &&
        strstr(err.message, "colour") != NULL);
  CHECK(kawal_query(d, "village", NULL, &err) == NULL && err.code == 3 &&
        strstr(err.message, "no indexed queries") != NULL);
  CHECK(kawal_query(d, "nosuch", NULL, &err) == NULL && err.code == 3 &&
        strstr(err.message, "unknown collection 'nosuch'") != NULL);
  CHECK(kawal_query(d, "activity", "[1]", &err) == NULL && err.code == 3);
  CHECK(kawal_query(NULL, "activity", NULL, &err) == NULL && err.code == 3);
  CHECK(kawal_query(d, "activity", "{\"resume\":\"00ff\"}", &err) == NULL && err.code == 3);

  /* After kawal_unobserve: no call, even for the observed desa. */
  char* e = create(d, "62.10.01.2001", "planned");
  CHECK(e != NULL);
  kawal_device_close(d); /* delivers what was committed, then stops */
  CHECK(seen.calls == 2);

  kawal_string_free(a);
  kawal_string_free(b);
  kawal_string_free(c);
  kawal_string_free(e);
  return finish(home, "libkawal_abi_test");
}
