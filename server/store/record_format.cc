#include "store/record_format.h"

#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "kawal/common/rocks_status.h"
#include "kawal/storage/v1/storage.pb.h"
#include "rocksdb/write_batch.h"
#include "store/storage_keys.h"

namespace kawal::server {

absl::StatusOr<std::string> RecordValueFromFormat1(absl::string_view format1_bytes) {
  const int size = static_cast<int>(format1_bytes.size());
  storage::v1::StoredRecord stored;
  storage::v1::LegacyRecordBookkeeping bookkeeping;
  if (!stored.mutable_record()->ParseFromArray(format1_bytes.data(), size) ||
      !bookkeeping.ParseFromArray(format1_bytes.data(), size)) {
    return absl::DataLossError("a format-1 record does not parse");
  }
  // The old bookkeeping numbers are reserved in kawal.v1.Record now: drop
  // them from the wire-facing part.
  stored.mutable_record()->DiscardUnknownFields();
  stored.set_echo_node(bookkeeping.echo_node());
  for (const storage::v1::LegacyFieldBookkeeping& field : bookkeeping.fields()) {
    if (field.has_displaced_base()) {
      (*stored.mutable_displaced_base())[field.name()] = field.displaced_base();
    }
  }
  return stored.SerializeAsString();
}

namespace {

absl::StatusOr<int> ReadFormat(rocksdb::DB* db) {
  std::string value;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), MetaKey(kMetaRecordFormat), &value);
  if (s.IsNotFound()) return 1;
  if (!s.ok()) return common::FromRocks(s, "reading the record format");
  int format = 0;
  if (!absl::SimpleAtoi(value, &format) || format < 1) {
    return absl::DataLossError("the stored record format is unreadable");
  }
  return format;
}

}  // namespace

absl::StatusOr<RecordFormatMigration> MigrateRecordFormat(rocksdb::DB* db,
                                                          const rocksdb::WriteOptions& durable,
                                                          bool freshly_created,
                                                          int records_per_batch) {
  RecordFormatMigration migration;
  const std::string format_key = MetaKey(kMetaRecordFormat);
  const std::string progress_key = MetaKey(kMetaRecordFormatProgress);
  const std::string current = absl::StrCat(kCurrentRecordFormat);
  if (freshly_created) {
    if (absl::Status s = common::FromRocks(db->Put(durable, format_key, current),
                                           "marking the record format");
        !s.ok()) {
      return s;
    }
    return migration;
  }
  absl::StatusOr<int> format = ReadFormat(db);
  if (!format.ok()) return format.status();
  migration.from_format = *format;
  if (*format > kCurrentRecordFormat) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the data folder holds records in format ", *format, ", newer than this kawal-server (",
        kCurrentRecordFormat, "); run the newer kawal-server or restore a backup it made"));
  }
  if (*format == kCurrentRecordFormat) return migration;

  // Resume after the last key a previous, interrupted run rewrote.
  std::string resume_after;
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), progress_key, &resume_after);
  if (!s.ok() && !s.IsNotFound()) return common::FromRocks(s, "reading the migration progress");

  const std::string upper(1, static_cast<char>(kRecordPrefix + 1));
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_slice;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read));
  if (resume_after.empty()) {
    it->Seek(std::string(1, kRecordPrefix));
  } else {
    it->Seek(resume_after);
    if (it->Valid() && it->key() == rocksdb::Slice(resume_after)) it->Next();
  }
  rocksdb::WriteBatch batch;
  int in_batch = 0;
  for (; it->Valid(); it->Next()) {
    const absl::string_view value(it->value().data(), it->value().size());
    absl::StatusOr<std::string> rewritten = RecordValueFromFormat1(value);
    if (!rewritten.ok()) {
      std::string collection, id;
      ParseRecordKey(absl::string_view(it->key().data(), it->key().size()), &collection, &id);
      return absl::DataLossError(absl::StrCat("migrating record ", collection, "/", id,
                                              " to format ", kCurrentRecordFormat, ": ",
                                              rewritten.status().message()));
    }
    batch.Put(it->key(), *rewritten);
    ++migration.records_rewritten;
    if (++in_batch == records_per_batch) {
      batch.Put(progress_key, it->key());
      if (absl::Status st = common::FromRocks(db->Write(durable, &batch), "migrating records");
          !st.ok()) {
        return st;
      }
      batch.Clear();
      in_batch = 0;
    }
  }
  if (!it->status().ok()) return common::FromRocks(it->status(), "scanning records to migrate");
  batch.Put(format_key, current);
  batch.Delete(progress_key);
  if (absl::Status st = common::FromRocks(db->Write(durable, &batch), "finishing the migration");
      !st.ok()) {
    return st;
  }
  return migration;
}

}  // namespace kawal::server
