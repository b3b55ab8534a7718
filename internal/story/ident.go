package story

import (
	"cmp"
	"slices"
)

// identIndex outlives the hot window: it maps multi-word names ("julian
// sims", "cedric poore") to the story that used them, so a court or arrest
// follow-up months later can rejoin its incident although the story itself
// has long left memory. A name used by more than one story identifies
// nothing and is marked ambiguous. Bounded like a two-generation LRU: when
// the current map is full it becomes the old one, and names read from the old
// map move back to the current one.
type identIndex struct {
	cur, old map[uint64]identRec
	max      int // entries per generation
	moved    map[int64]int64
	// Centroids (heaviest terms, hash-sorted) of stories that left the
	// window, to check a name match against and to revive the story with.
	arch, archOld map[int64][]term
}

// identKey is one adjacent pair of name words: its term hash and the
// hashes of its two words, so the pairs of one long name count once.
type identKey struct{ h, l, r uint64 }

type identRec struct {
	story int64
	n     uint32 // distinct stories that used the name (saturating)
}

func newIdentIndex(max int) *identIndex {
	return &identIndex{cur: make(map[uint64]identRec, 1024), max: max, moved: map[int64]int64{}, arch: map[int64][]term{}}
}

// maxArchived stories keep their centroid (per generation) after eviction.
const maxArchived = 20_000

// archive keeps the heaviest n terms of an evicted story's centroid.
func (x *identIndex) archive(id int64, sum []term, n int) {
	if x.max <= 0 {
		return
	}
	ts := slices.Clone(sum)
	if len(ts) > n {
		selectTop(ts, n)
		ts = ts[:n]
		sortByHash(ts)
	}
	if len(x.arch) >= maxArchived {
		x.archOld, x.arch = x.arch, make(map[int64][]term, maxArchived)
	}
	x.arch[id] = ts
}

// archived returns the centroid kept for an evicted story, nil if none.
func (x *identIndex) archived(id int64) []term {
	if ts, ok := x.arch[id]; ok {
		return ts
	}
	return x.archOld[id]
}

func (x *identIndex) get(h uint64) (identRec, bool) {
	if r, ok := x.cur[h]; ok {
		return r, true
	}
	r, ok := x.old[h]
	if ok {
		x.put(h, r)
	}
	return r, ok
}

func (x *identIndex) put(h uint64, r identRec) {
	if _, ok := x.cur[h]; !ok && len(x.cur) >= x.max {
		x.old, x.cur = x.cur, make(map[uint64]identRec, x.max)
	}
	x.cur[h] = r
}

// resolve follows merges to the surviving story.
func (x *identIndex) resolve(id int64) int64 {
	for i := 0; i < 64; i++ {
		n, ok := x.moved[id]
		if !ok {
			break
		}
		id = n
	}
	return id
}

// merged records that story from now lives on as into.
func (x *identIndex) merged(from, into int64) {
	if len(x.moved) >= x.max {
		clear(x.moved)
	}
	x.moved[from] = into
}

// learn records that story uses the names hs.
func (x *identIndex) learn(story int64, ks []identKey) {
	if x.max <= 0 {
		return
	}
	for _, k := range ks {
		h := k.h
		r, ok := x.get(h)
		switch {
		case !ok:
			r = identRec{story: story, n: 1}
		case x.resolve(r.story) != story:
			r.story = story
			if r.n < 1<<31 {
				r.n++
			}
		default:
			continue
		}
		x.put(h, r)
	}
}

type identMatch struct {
	story int64
	names int
}

// match returns the stories (best first, at most len(out)) for which at
// least min distinct names among ks were used by that story alone. Pairs
// that chain into one longer name ("mayor rahm", "rahm emanuel") count once.
func (x *identIndex) match(ks []identKey, min int, out []identMatch) []identMatch {
	out = out[:0]
	if x.max <= 0 || min <= 0 {
		return out
	}
	type hit struct {
		story int64
		k     identKey
	}
	var buf [32]hit
	hits := buf[:0]
	for _, k := range ks {
		r, ok := x.get(k.h)
		if !ok || r.n != 1 {
			continue
		}
		if len(hits) == cap(hits) {
			break
		}
		hits = append(hits, hit{x.resolve(r.story), k})
	}
	type sc struct {
		id int64
		n  int
	}
	var sbuf [8]sc
	scores := sbuf[:0]
	for i, a := range hits {
		chained := false
		for j, b := range hits {
			if j != i && b.story == a.story && b.k.r == a.k.l {
				chained = true
				break
			}
		}
		if chained {
			continue
		}
		k := 0
		for k < len(scores) && scores[k].id != a.story {
			k++
		}
		if k == len(scores) {
			if len(scores) == cap(scores) {
				continue
			}
			scores = append(scores, sc{a.story, 0})
		}
		scores[k].n++
	}
	slices.SortFunc(scores, func(a, b sc) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return cmp.Compare(a.id, b.id)
	})
	for _, s := range scores {
		if s.n >= min && len(out) < cap(out) {
			out = append(out, identMatch{s.id, s.n})
		}
	}
	return out
}
