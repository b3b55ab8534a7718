//go:build !unix

package extraction

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
