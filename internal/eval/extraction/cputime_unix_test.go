//go:build unix

package extraction

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, user plus system. On a
// shared machine it measures the extractor's cost better than wall time.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
