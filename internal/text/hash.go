package text

import "math/bits"

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Hash is 64-bit FNV-1a of s.
func Hash(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// Shingles returns hashes of every run of k consecutive words (fewer than k
// words give one shingle of them all; none give nil).
func Shingles(words []string, k int) []uint64 {
	if len(words) == 0 || k <= 0 {
		return nil
	}
	if len(words) < k {
		k = len(words)
	}
	hs := make([]uint64, len(words))
	for i, w := range words {
		hs[i] = Hash(w)
	}
	return ShinglesOf(hs, k)
}

// mix is the splitmix64 finaliser: spreads shingle hashes so every bit is fair.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// SimHash is Charikar's 64-bit fingerprint of a set of feature hashes: texts
// sharing most shingles get fingerprints a few bits apart.
func SimHash(features []uint64) uint64 {
	// Count set bits per position. Eight byte-wide counters ride in each
	// uint64 (lane j of acc[i] counts bit 8j+i), so one feature costs 8 adds
	// instead of 64; lanes are flushed before they can overflow.
	var v [64]int32
	var acc [8]uint64
	const lanes = 0x0101010101010101
	flush := func() {
		for i := range acc {
			for j := range 8 {
				v[8*j+i] += int32(acc[i] >> (8 * uint(j)) & 0xff)
			}
			acc[i] = 0
		}
	}
	for n, f := range features {
		for i := range acc {
			acc[i] += f >> uint(i) & lanes
		}
		if n%255 == 254 {
			flush()
		}
	}
	flush()
	var h uint64
	half := int32(len(features) / 2)
	for b := range 64 {
		if v[b] > half {
			h |= 1 << uint(b)
		}
	}
	return h
}

// Hamming is the number of differing bits of a and b.
func Hamming(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// ShinglesOf is Shingles over already hashed words (Hash of each word).
func ShinglesOf(hs []uint64, k int) []uint64 {
	if len(hs) == 0 || k <= 0 {
		return nil
	}
	return AppendShingles(make([]uint64, 0, len(hs)), hs, k)
}

// AppendShingles is ShinglesOf appending to dst, so callers can reuse a buffer.
func AppendShingles(dst, hs []uint64, k int) []uint64 {
	if len(hs) == 0 || k <= 0 {
		return dst
	}
	if len(hs) < k {
		k = len(hs)
	}
	for i := 0; i+k <= len(hs); i++ {
		h := uint64(fnvOffset)
		for _, x := range hs[i : i+k] {
			h = (h ^ x) * fnvPrime
			h = bits.RotateLeft64(h, 17)
		}
		dst = append(dst, mix(h))
	}
	return dst
}
