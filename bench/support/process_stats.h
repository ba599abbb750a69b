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

// The same of another process (`pid`), e.g. the server a driver started;
// 0 if its /proc is unreadable.
int64_t PeakRssKbOf(int pid);
// Sets the peak (VmHWM) of `pid` (0 = this process) back to its current
// RSS (/proc/PID/clear_refs), so a phase's peak is its own.
void ResetPeakRss(int pid);
// User + system CPU seconds `pid` (0 = this process, all threads) used so far.
double CpuSeconds(int pid);

// Sum of regular file sizes under `path` (recursive); 0 if absent.
uint64_t DirBytes(const std::string& path);

}  // namespace kawal::bench

#endif  // KAWAL_BENCH_SUPPORT_PROCESS_STATS_H_
