#include "link.h"

#include "absl/strings/str_cat.h"

namespace kawal::bench {

LinkProfile LinkProfile::Poor() {
  LinkProfile p;
  p.bytes_per_second = 8000;
  p.one_way = absl::Milliseconds(300);
  p.cut_every = absl::Seconds(30);
  return p;
}

std::string LinkProfile::Describe() const {
  std::string out = bytes_per_second > 0
                        ? absl::StrCat(bytes_per_second * 8 / 1000, " kbit/s (", bytes_per_second,
                                       " B/s) each direction")
                        : "unlimited bandwidth";
  absl::StrAppend(&out, ", ", absl::FormatDuration(one_way), " each way");
  absl::StrAppend(&out, cut_every > absl::ZeroDuration()
                            ? absl::StrCat(", connection cut after ", absl::FormatDuration(cut_every))
                            : ", no cuts");
  return out;
}

Link::Link(const std::string& server_address, const LinkProfile& profile)
    : proxy_(std::make_unique<testing::FaultProxy>(server_address)), profile_(profile) {}

absl::StatusOr<std::unique_ptr<Link>> Link::Start(const std::string& server_address,
                                                  const LinkProfile& profile) {
  std::unique_ptr<Link> link(new Link(server_address, profile));
  link->proxy_->SetBandwidth(profile.bytes_per_second);
  link->proxy_->SetLatency(profile.one_way);
  link->proxy_->SetCutAfter(profile.cut_every);
  if (absl::Status s = link->proxy_->Start(); !s.ok()) return s;
  link->address_ = link->proxy_->address();
  return link;
}

WireCount Link::Count() const {
  WireCount c;
  c.up = proxy_->BytesUpstream();
  c.down = proxy_->BytesDownstream();
  c.connections = proxy_->Connections();
  c.cuts = proxy_->Cuts();
  return c;
}

}  // namespace kawal::bench
