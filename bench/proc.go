package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

// clockTick is the unit of utime/stime in /proc/PID/stat (USER_HZ, 100
// on every Linux build the tool targets).
const clockTick = 10 * time.Millisecond

var errProcFormat = errors.New("unexpected /proc format")

// procCPU returns the user+system CPU time consumed so far by every
// thread of process pid (10 ms resolution).
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("server cpu: %w", err)
	}
	// The command name may contain spaces: fields start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errProcFormat
	}
	f := bytes.Fields(b[i+1:])
	// After ')': state(3) ... utime is field 14, stime 15 (1-based overall).
	if len(f) < 13 {
		return 0, errProcFormat
	}
	ut, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	st, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errProcFormat
	}
	return time.Duration(ut+st) * clockTick, nil
}

// procRSS returns the resident set size of process pid in bytes.
func procRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("server rss: %w", err)
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			f := bytes.Fields(v)
			if len(f) == 0 {
				return 0, errProcFormat
			}
			kb, err := strconv.ParseInt(string(f[0]), 10, 64)
			if err != nil {
				return 0, errProcFormat
			}
			return kb * 1024, nil
		}
	}
	return 0, errProcFormat
}

// selfCPU returns the CPU time (user+system) the load tool used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// raiseFDLimit sets the soft open-files limit to the hard limit and
// returns the new soft limit.
func raiseFDLimit() (uint64, error) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, fmt.Errorf("getrlimit: %w", err)
	}
	rl.Cur = rl.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0, fmt.Errorf("setrlimit: %w", err)
	}
	return rl.Cur, nil
}

// cpuSample is the CPU time of a set of processes by two clocks: the
// utime+stime ticks of /proc/PID/stat (10 ms resolution, exited threads
// included) and the sum of /proc/PID/task/*/schedstat (nanoseconds, live
// threads only).
type cpuSample struct {
	ticks, sched time.Duration
	schedOK      bool
}

// sampleCPU samples the processes pids (unreadable ones count 0).
func sampleCPU(pids ...int) cpuSample {
	s := cpuSample{schedOK: true}
	for _, pid := range pids {
		t, _ := procCPU(pid)
		s.ticks += t
		n, err := schedCPU(pid)
		if err != nil {
			s.schedOK = false
		}
		s.sched += n
	}
	return s
}

// since is the CPU time used between an earlier sample and s: the precise
// schedstat difference, unless a thread exited in between (the two clocks
// then disagree by more than two ticks plus 10%) or schedstat is missing,
// in which case the tick difference.
func (s cpuSample) since(earlier cpuSample) time.Duration {
	ticks := s.ticks - earlier.ticks
	sched := s.sched - earlier.sched
	if !s.schedOK || !earlier.schedOK || sched < 0 {
		return ticks
	}
	diff := sched - ticks
	if diff < 0 {
		diff = -diff
	}
	if diff > 2*clockTick+ticks/10 {
		return ticks
	}
	return sched
}

// schedCPU sums the on-CPU time of every live thread of pid.
func schedCPU(pid int) (time.Duration, error) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var total time.Duration
	for _, e := range ents {
		b, err := os.ReadFile(dir + "/" + e.Name() + "/schedstat")
		if err != nil {
			continue // the thread just exited
		}
		f := bytes.Fields(b)
		if len(f) == 0 {
			return 0, errProcFormat
		}
		ns, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, errProcFormat
		}
		total += time.Duration(ns)
	}
	return total, nil
}
