// Device's photo writes: a progress report, or a follow-up's update, with
// its photos in one commit, and the photos known on this device
// (docs/photos.md).
#include "absl/strings/str_cat.h"
#include "kawal/device/v1/device_store.pb.h"
#include "kawal/mobile/device.h"
#include "kawal/sync/schema.h"
#include "device_core.h"
#include "local_store.h"
#include "local_writes.h"
#include "photo_files.h"

namespace kawal::mobile {
namespace {

std::string PhotosDir(const LocalStore& store) { return PhotosDirOf(store.dir()); }

// Copies each picture into the store (once per content). Done outside the
// write lock: they may be megabytes. A copy whose write then fails
// validation stays as an unreferenced file.
absl::StatusOr<std::vector<PhotoFile>> ImportPictures(const LocalStore& store,
                                                      const std::vector<PhotoAttachment>& photos) {
  PhotoFiles files(PhotosDir(store));
  std::vector<PhotoFile> imported;
  for (const PhotoAttachment& photo : photos) {
    absl::StatusOr<PhotoFile> file =
        files.Import(photo.file, static_cast<uint64_t>(sync::kMaxPhotoBytes));
    if (!file.ok()) return file.status();
    if (file->content_type.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(photo.file, " is not a JPEG, PNG, WebP or HEIC picture"));
    }
    imported.push_back(*std::move(file));
  }
  return imported;
}

// Stages a `photo` record per picture, evidence of the record `evidence`
// names (report_id or follow_up_id, and activity_id when known), and
// queues each new content for upload. Returns the photo ids.
absl::StatusOr<sync::ScalarList> StagePhotos(const LocalStore& store, WriteStager& stager,
                                             LocalStore::Batch& batch, const std::string& scope,
                                             const FieldValues& evidence,
                                             const std::vector<PhotoAttachment>& photos,
                                             const std::vector<PhotoFile>& imported) {
  sync::ScalarList photo_ids;
  for (size_t i = 0; i < photos.size(); ++i) {
    const PhotoAttachment& photo = photos[i];
    const PhotoFile& file = imported[i];
    const std::string photo_id = NewRecordId();
    FieldValues meta = evidence;
    meta.emplace_back("sha256", file.sha256);
    meta.emplace_back("stage", photo.stage);
    meta.emplace_back("size_bytes", static_cast<int64_t>(file.size));
    meta.emplace_back("content_type", file.content_type);
    if (photo.taken_at_ms > 0) meta.emplace_back("taken_at_ms", photo.taken_at_ms);
    if (photo.lat) meta.emplace_back("lat", *photo.lat);
    if (photo.lon) meta.emplace_back("lon", *photo.lon);
    if (photo.accuracy_m) meta.emplace_back("accuracy_m", *photo.accuracy_m);
    if (!photo.caption.empty()) meta.emplace_back("caption", photo.caption);
    if (absl::Status s = stager.Stage(LocalWrite{std::string(sync::kPhoto), photo_id, scope, meta});
        !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("photo ", photo.file, ": ", s.message()));
    }
    photo_ids.push_back(photo_id);

    absl::StatusOr<std::optional<device::v1::PhotoUpload>> queued =
        store.GetPhotoUpload(file.sha256);
    if (!queued.ok()) return queued.status();
    if (!queued->has_value()) {
      device::v1::PhotoUpload upload;
      upload.set_sha256(file.sha256);
      upload.set_size(file.size);
      upload.set_content_type(file.content_type);
      upload.set_record_id(photo_id);
      batch.PutPhotoUpload(upload);
    }
  }
  return photo_ids;
}

// A record's "photos" list is the device's to fill from the pictures.
absl::Status RefusePhotosField(const FieldValues& fields) {
  for (const auto& [name, value] : fields) {
    if (name == "photos") {
      return absl::InvalidArgumentError("\"photos\" is filled from the attached pictures");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> Device::CreateReport(const std::string& scope,
                                                 const FieldValues& fields,
                                                 const std::vector<PhotoAttachment>& photos) {
  std::string activity_id;
  if (absl::Status s = RefusePhotosField(fields); !s.ok()) return s;
  for (const auto& [name, value] : fields) {
    if (name == "activity_id" && std::holds_alternative<std::string>(value)) {
      activity_id = std::get<std::string>(value);
    }
  }
  absl::StatusOr<std::vector<PhotoFile>> imported = ImportPictures(core_->store(), photos);
  if (!imported.ok()) return imported.status();

  absl::MutexLock lock(&core_->write_mu());
  LocalStore& store = core_->store();
  LocalStore::Batch batch;
  WriteStager stager(store, core_->clock());
  const std::string report_id = NewRecordId();
  absl::StatusOr<sync::ScalarList> photo_ids =
      StagePhotos(store, stager, batch, scope,
                  {{"report_id", report_id}, {"activity_id", activity_id}}, photos, *imported);
  if (!photo_ids.ok()) return photo_ids.status();
  std::vector<std::string> evidence;  // has_photo_<stage> fields to set
  for (const PhotoAttachment& photo : photos) {
    if (photo.stage != "other") evidence.push_back("has_photo_" + photo.stage);
  }

  FieldValues report_fields = fields;
  if (!photo_ids->empty()) report_fields.emplace_back("photos", *photo_ids);
  if (absl::Status s = stager.Stage(
          LocalWrite{std::string(sync::kProgressReport), report_id, scope, report_fields});
      !s.ok()) {
    return s;
  }
  if (!evidence.empty() && !activity_id.empty()) {
    absl::StatusOr<sync::RecordState> activity = store.GetRecord(sync::kActivity, activity_id);
    if (!activity.ok()) return activity.status();
    FieldValues marks;
    for (const std::string& field : evidence) {
      bool already = activity->GetBool(field);
      for (const auto& [name, unused] : marks) already = already || name == field;
      if (!already) marks.emplace_back(field, true);
    }
    // An activity not on this device cannot be marked; its evidence then
    // counts once a device that holds it attaches a photo.
    if (!marks.empty() && activity->Visible()) {
      if (absl::Status s = stager.Stage(
              LocalWrite{std::string(sync::kActivity), activity_id, "", marks, false, true});
          !s.ok()) {
        return s;
      }
    }
  }
  stager.AddTo(batch);
  if (absl::Status s = core_->CommitWrites(batch); !s.ok()) return s;
  return report_id;
}

absl::Status Device::UpdateFollowUp(const std::string& id, const FieldValues& fields,
                                    const std::vector<PhotoAttachment>& photos) {
  if (absl::Status s = RefusePhotosField(fields); !s.ok()) return s;
  absl::StatusOr<std::vector<PhotoFile>> imported = ImportPictures(core_->store(), photos);
  if (!imported.ok()) return imported.status();

  absl::MutexLock lock(&core_->write_mu());
  LocalStore& store = core_->store();
  absl::StatusOr<sync::RecordState> follow_up = store.GetRecord(sync::kFollowUp, id);
  if (!follow_up.ok()) return follow_up.status();
  if (!follow_up->Visible()) {
    return absl::NotFoundError(absl::StrCat("no follow_up with id ", id, " on this device"));
  }
  LocalStore::Batch batch;
  WriteStager stager(store, core_->clock());
  FieldValues evidence = {{"follow_up_id", id}};
  if (std::string activity = follow_up->GetString("activity_id"); !activity.empty()) {
    evidence.emplace_back("activity_id", activity);
  }
  absl::StatusOr<sync::ScalarList> photo_ids =
      StagePhotos(store, stager, batch, follow_up->scope, evidence, photos, *imported);
  if (!photo_ids.ok()) return photo_ids.status();
  FieldValues changes = fields;
  if (!photo_ids->empty()) {
    // Added to the photos already there (a list is one value: the device
    // that writes last wins it, so it writes the whole list it knows).
    sync::ScalarList all;
    for (std::string& known : follow_up->GetStrings("photos")) all.push_back(std::move(known));
    all.insert(all.end(), photo_ids->begin(), photo_ids->end());
    changes.emplace_back("photos", std::move(all));
  }
  if (absl::Status s = stager.Stage(LocalWrite{std::string(sync::kFollowUp), id, "", changes,
                                               /*remove=*/false, /*must_exist=*/true});
      !s.ok()) {
    return s;
  }
  stager.AddTo(batch);
  return core_->CommitWrites(batch);
}

absl::StatusOr<std::vector<PhotoView>> Device::Photos(const std::string& activity_id) const {
  std::vector<PhotoView> out;
  const LocalStore& store = core_->store();
  absl::Status status = store.ForEachRecord(sync::kPhoto, [&](const sync::RecordState& s) {
    if (!s.Visible()) return true;
    PhotoView view;
    view.activity_id = s.GetString("activity_id");
    if (!activity_id.empty() && view.activity_id != activity_id) return true;
    view.record_id = s.id;
    view.report_id = s.GetString("report_id");
    view.scope = s.scope;
    view.sha256 = s.GetString("sha256");
    view.stage = s.GetString("stage");
    view.content_type = s.GetString("content_type");
    view.size = static_cast<uint64_t>(s.GetInt("size_bytes"));
    out.push_back(std::move(view));
    return true;
  });
  if (!status.ok()) return status;
  for (PhotoView& view : out) {
    absl::StatusOr<std::optional<device::v1::PhotoUpload>> upload =
        store.GetPhotoUpload(view.sha256);
    if (!upload.ok()) return upload.status();
    if (upload->has_value()) {
      view.local = true;
      view.uploaded = (*upload)->uploaded();
      view.last_error = (*upload)->last_error();
    }
  }
  return out;
}

}  // namespace kawal::mobile
