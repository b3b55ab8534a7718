package text

import (
	"math/rand"
	"testing"
)

// TestTableMatchesMap drives a Table and a Go map with the same operations.
func TestTableMatchesMap(t *testing.T) {
	for _, tt := range []struct {
		name string
		keys int // key space: small spaces repeat keys
	}{
		{"dense", 50},
		{"sparse", 1 << 40},
		{"with zero key", 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewSource(1))
			var tab Table[int]
			ref := map[uint64]int{}
			for i := 0; i < 20000; i++ {
				k := uint64(r.Int63n(int64(tt.keys)))
				switch r.Intn(10) {
				case 0:
					*tab.Ptr(k) += 2
					ref[k] += 2
				case 1:
					tab.Put(k, i)
					ref[k] = i
				default:
					v, ok := tab.Get(k)
					w, wok := ref[k]
					if v != w || ok != wok {
						t.Fatalf("Get(%d) = %d,%v; want %d,%v", k, v, ok, w, wok)
					}
				}
				if i%3000 == 2999 {
					tab.Filter(func(k uint64, v *int) bool { *v /= 2; return *v%2 == 0 })
					for k, v := range ref {
						if v/2%2 == 0 {
							ref[k] = v / 2
						} else {
							delete(ref, k)
						}
					}
				}
			}
			if tab.Len() != len(ref) {
				t.Errorf("Len %d, want %d", tab.Len(), len(ref))
			}
			for k, w := range ref {
				if v, ok := tab.Get(k); !ok || v != w {
					t.Errorf("Get(%d) = %d,%v; want %d", k, v, ok, w)
				}
			}
			tab.Clear()
			if _, ok := tab.Get(1); ok || tab.Len() != 0 {
				t.Error("Clear left keys")
			}
		})
	}
}
