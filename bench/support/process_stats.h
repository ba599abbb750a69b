// What a benchmark reads about the machine and its own process: resident
// memory (current and peak, from /proc/self/status) and bytes on disk.
#ifndef KAWAL_BENCH_SUPPORT_PROCESS_STATS_H_
#define KAWAL_BENCH_SUPPORT_PROCESS_STATS_H_

#include <cstdint>
#include <string>

namespace kawal::bench {

// Kibibytes; 0 if /proc is unreadable.
int64_t RssKb();      // VmRSS
int64_t PeakRssKb();  // VmHWM

// Sum of regular file sizes under `path` (recursive); 0 if absent.
uint64_t DirBytes(const std::string& path);

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_PROCESS_STATS_H_
