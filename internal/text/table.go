package text

// Table is a map from 64-bit hashes to V: open addressing with linear
// probing and no deletion, several times faster than a Go map for the
// per-token lookups of analysis (the keys are hashes already, so one multiply
// places them). The zero value is an empty table. Not safe for concurrent use.
type Table[V any] struct {
	keys  []uint64 // 0 marks an empty slot; key 0 is stored as zeroKey
	vals  []V
	n     int
	shift uint
}

// zeroKey stands in for key 0, which marks empty slots.
const zeroKey = 0x9e3779b97f4a7c15

// Len is the number of keys.
func (t *Table[V]) Len() int { return t.n }

// Get returns the value of k and whether k is present.
func (t *Table[V]) Get(k uint64) (V, bool) {
	if t.n == 0 {
		var zero V
		return zero, false
	}
	if k == 0 {
		k = zeroKey
	}
	mask := uint64(len(t.keys) - 1)
	for i := (k * 0x9e3779b97f4a7c15) >> t.shift; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			return t.vals[i], true
		case 0:
			var zero V
			return zero, false
		}
	}
}

// Ptr returns a pointer to the value of k, adding k with the zero value when
// absent. The pointer is valid until the next Ptr or Put.
func (t *Table[V]) Ptr(k uint64) *V {
	if k == 0 {
		k = zeroKey
	}
	if (t.n+1)*2 > len(t.keys) {
		t.grow()
	}
	mask := uint64(len(t.keys) - 1)
	for i := (k * 0x9e3779b97f4a7c15) >> t.shift; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			return &t.vals[i]
		case 0:
			t.keys[i] = k
			t.n++
			return &t.vals[i]
		}
	}
}

// Put sets the value of k.
func (t *Table[V]) Put(k uint64, v V) { *t.Ptr(k) = v }

// Clear removes every key, keeping the storage.
func (t *Table[V]) Clear() {
	if t.n == 0 {
		return
	}
	clear(t.keys)
	clear(t.vals)
	t.n = 0
}

// Filter keeps the keys for which keep returns true; keep may change the
// value. It works in place: dropped slots are emptied, then every key still
// stored moves back to the first free slot of its probe sequence.
func (t *Table[V]) Filter(keep func(k uint64, v *V) bool) {
	var zero V
	for i, k := range t.keys {
		if k != 0 && !keep(k, &t.vals[i]) {
			t.keys[i], t.vals[i] = 0, zero
			t.n--
		}
	}
	if t.n == 0 {
		return
	}
	// Walk the ring once, starting after an empty slot, so every key's probe
	// path before it is already settled when the key is reached.
	size := len(t.keys)
	mask := uint64(size - 1)
	start := 0
	for t.keys[start] != 0 {
		start++
	}
	for n := 1; n <= size; n++ {
		i := uint64(start+n) & mask
		k := t.keys[i]
		if k == 0 {
			continue
		}
		for j := (k * 0x9e3779b97f4a7c15) >> t.shift; j != i; j = (j + 1) & mask {
			if t.keys[j] == 0 {
				t.keys[j], t.vals[j] = k, t.vals[i]
				t.keys[i], t.vals[i] = 0, zero
				break
			}
		}
	}
}

func (t *Table[V]) grow() {
	size := 2 * len(t.keys)
	if size < 16 {
		size = 16
	}
	keys, vals := t.keys, t.vals
	t.keys, t.vals = make([]uint64, size), make([]V, size)
	t.shift = 64
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
	mask := uint64(size - 1)
	for j, k := range keys {
		if k == 0 {
			continue
		}
		i := (k * 0x9e3779b97f4a7c15) >> t.shift
		for t.keys[i] != 0 {
			i = (i + 1) & mask
		}
		t.keys[i], t.vals[i] = k, vals[j]
	}
}
