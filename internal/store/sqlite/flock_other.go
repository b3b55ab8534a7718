//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package sqlite

import "sync"

// Without flock the lock only excludes leaders within this process.
var (
	locksMu sync.Mutex
	locks   = map[string]bool{}
)

func lockFile(path string) (unlock func(), ok bool, err error) {
	locksMu.Lock()
	defer locksMu.Unlock()
	if locks[path] {
		return nil, false, nil
	}
	locks[path] = true
	return func() {
		locksMu.Lock()
		delete(locks, path)
		locksMu.Unlock()
	}, true, nil
}
