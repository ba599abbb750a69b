#include "chaos_checks.h"

#include <iostream>
#include <set>
#include <tuple>
#include <utility>
#include <variant>

#include <gtest/gtest.h>

#include "kawal/sync/codec.h"
#include "kawal/sync/conflict_record.h"

namespace kawal::testing {

std::string Describe(const sync::RecordState& r) {
  std::string text = std::string(r.Visible() ? "visible" : "deleted") + " scope=" + r.scope +
                     " tomb=" + sync::StampToString(r.tombstone);
  for (const auto& [name, f] : r.fields) {
    text += "|" + name + "=" + sync::ValueToJson(f.value) + "@" + sync::StampToString(f.stamp);
  }
  return text;
}

void ExpectDevicesHoldWhatTheServerHolds(const std::map<std::string, sync::RecordState>& server,
                                         const std::vector<Contents>& devices) {
  Contents server_contents;
  for (const auto& [key, r] : server) server_contents[key] = Describe(r);
  size_t conflicts = 0;
  for (const auto& [key, r] : server) conflicts += r.collection == "conflict";
  std::cout << "server records " << server.size() << " (conflicts " << conflicts << ")"
            << std::endl;
  for (size_t d = 0; d < devices.size(); ++d) {
    const Contents& mine = devices[d];
    int shown = 0;
    for (const auto& [key, text] : server_contents) {
      auto it = mine.find(key);
      if (it == mine.end()) {
        if (shown++ < 5) ADD_FAILURE() << "device " << d << " lacks " << key << " = " << text;
      } else if (it->second != text) {
        if (shown++ < 5) {
          ADD_FAILURE() << "device " << d << " differs on " << key
                        << "\n  device: " << it->second << "\n  server: " << text;
        }
      }
    }
    for (const auto& [key, text] : mine) {
      if (!server_contents.count(key) && shown++ < 5) {
        ADD_FAILURE() << "device " << d << " has " << key << " the server lacks: " << text;
      }
    }
    EXPECT_EQ(shown, 0) << "device " << d << ": " << shown << " differences";
  }
}

void ExpectNoSilentLoss(const std::map<std::string, sync::RecordState>& server,
                        const std::vector<LoggedWrite>& log) {
  std::set<std::tuple<std::string, std::string, std::string>> reported;  // (id, field, loser)
  std::set<std::pair<std::string, std::string>> losing_writes;          // (id, loser)
  for (const auto& [key, r] : server) {
    if (r.collection != "conflict") continue;
    auto str = [&](const char* f) {
      const sync::Value* v = r.Get(f);
      return v != nullptr && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v)
                                                                      : std::string();
    };
    // One record per losing write, listing every field it lost.
    const auto write = std::make_pair(str("record_id"), str("loser_stamp"));
    EXPECT_TRUE(losing_writes.insert(write).second)
        << "two conflict records for the write @" << write.second << " of " << write.first;
    absl::StatusOr<std::vector<sync::ConflictField>> fields = sync::ConflictFieldsOf(r);
    ASSERT_TRUE(fields.ok()) << fields.status();
    for (const sync::ConflictField& f : *fields) {
      reported.insert({str("record_id"), f.name, str("loser_stamp")});
    }
  }
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<const LoggedWrite*>>
      by_field;
  for (const auto& w : log) by_field[{w.collection, w.id, w.field}].push_back(&w);
  int lost = 0, reported_losses = 0, excused = 0, shown = 0;
  for (const auto& w : log) {
    auto it = server.find(w.collection + "/" + w.id);
    if (it == server.end()) {
      if (shown++ < 10) ADD_FAILURE() << "server lacks " << w.collection << "/" << w.id;
      continue;
    }
    const sync::RecordState& r = it->second;
    if (w.field == kTombstoneField) {
      if (r.tombstone < w.stamp && shown++ < 10) {
        ADD_FAILURE() << "delete of " << w.id << " by device " << w.device << " @"
                      << sync::StampToString(w.stamp) << " lost: server tombstone "
                      << sync::StampToString(r.tombstone);
      }
      continue;
    }
    auto f = r.fields.find(w.field);
    if (f == r.fields.end()) {
      if (shown++ < 10) ADD_FAILURE() << "server lacks field " << w.id << "." << w.field;
      continue;
    }
    if (f->second.stamp == w.stamp) continue;
    if (f->second.stamp < w.stamp) {
      if (shown++ < 10) {
        ADD_FAILURE() << "write lost: " << w.collection << "/" << w.id << "." << w.field << "="
                      << w.value_json << " @" << sync::StampToString(w.stamp) << " by device "
                      << w.device << "; server holds " << sync::ValueToJson(f->second.value)
                      << " @" << sync::StampToString(f->second.stamp);
      }
      continue;
    }
    ++lost;
    bool seen = false;
    for (const LoggedWrite* x : by_field[{w.collection, w.id, w.field}]) {
      if (x->stamp > w.stamp && (x->device == w.device || x->base >= w.stamp)) seen = true;
    }
    if (seen) {
      ++excused;
      continue;
    }
    if (reported.count({w.id, w.field, sync::StampToString(w.stamp)})) {
      ++reported_losses;
      continue;
    }
    if (shown++ < 10) {
      ADD_FAILURE() << "silent loss: " << w.collection << "/" << w.id << "." << w.field << "="
                    << w.value_json << " @" << sync::StampToString(w.stamp) << " (base "
                    << sync::StampToString(w.base) << ") by device " << w.device
                    << " overwritten by " << sync::ValueToJson(f->second.value) << " @"
                    << sync::StampToString(f->second.stamp) << " base "
                    << sync::StampToString(f->second.base) << " with no conflict record";
    }
  }
  EXPECT_EQ(shown, 0) << shown << " problems among " << log.size() << " writes";
  std::cout << "overwritten writes " << lost << ": excused (seen) " << excused
            << ", reported as conflicts " << reported_losses << std::endl;
}

}  // namespace kawal::testing
