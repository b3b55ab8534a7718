//go:build !linux

package insight

import "time"

// threadCPU is unavailable here: benchmarks report wall time only.
func threadCPU() time.Duration { return 0 }
