package insight

import (
	"context"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dateline-news/dateline/internal/text"
)

// Sentence is a summary sentence with the outlets whose articles carry it.
type Sentence struct {
	Text    string   `json:"text"`
	Outlets []string `json:"outlets"`
	// Published is the earliest publication of the line, set only when the
	// summary's lines span more than one day (then the lines are in time order).
	Published time.Time `json:"published,omitzero"`
}

// cand is a candidate summary sentence: one node of the similarity graph,
// standing for all near-identical copies of the sentence across articles.
type cand struct {
	text      string
	article   int // index of the first article carrying it
	pos       int // sentence position in that article
	outlets   []string
	published time.Time // earliest publication among the articles carrying it
	vec       svec
	toks      []token // words, for eligibleSentence (asked only of lines about to be chosen)
}

// merge credits o's outlets (and earlier date) to c: they tell one fact.
func (c *cand) merge(o *cand) {
	c.outlets = unionStrings(c.outlets, o.outlets)
	if !o.published.IsZero() && (c.published.IsZero() || o.published.Before(c.published)) {
		c.published = o.published
	}
}

// svec is a sparse TF-IDF vector: term ids ascending, unit length.
type svec struct {
	ids []int
	w   []float64
}

func dot(a, b svec) float64 {
	s := 0.0
	for i, j := 0, 0; i < len(a.ids) && j < len(b.ids); {
		switch {
		case a.ids[i] == b.ids[j]:
			s += a.w[i] * b.w[j]
			i++
			j++
		case a.ids[i] < b.ids[j]:
			i++
		default:
			j++
		}
	}
	return s
}

type sumArticle struct {
	outlets   []string // the article's outlet plus those of its syndicated copies
	published time.Time
	sents     []string
	toks      [][]token  // words of each sentence, when already split
	content   [][]string // content words of each sentence, when known
}

func docArticle(d *doc, outlets []string, published time.Time, lang string) sumArticle {
	a := sumArticle{outlets: outlets, published: published, toks: d.sentToks, content: docContent(d, lang)}
	for _, s := range d.sents {
		a.sents = append(a.sents, s.text)
	}
	return a
}

// docContent is the content words of each sentence of d in lang.
func docContent(d *doc, lang string) [][]string {
	if l := text.BaseLang(lang); l == "" || l == "en" {
		return d.contentWords()
	}
	out := make([][]string, len(d.sentToks))
	for i, t := range d.sentToks {
		out[i] = contentIn(lang, t)
	}
	return out
}

// sumStats is what one summary computation looked at, for tests of its bounds.
type sumStats struct {
	cands int // sentences in the graph
	pairs int // sentence pairs compared
}

// summarize picks k central sentences. Sentences from different outlets that
// are near-identical become one node listing every outlet; edges between
// sentences of different articles weigh more than edges within one, so a
// sentence is central when several outlets report the same thing. Only the
// leading sentences of each article enter (MaxSummarySentences, and a share
// of MaxSummaryCandidates), which bounds the quadratic graph.
func (c Config) summarize(ctx context.Context, arts []sumArticle, k int) ([]Sentence, sumStats, error) {
	var st sumStats
	tk := newTicker(ctx, c.CheckEvery)
	if err := tk.now(); err != nil {
		return nil, st, err
	}
	quota := c.MaxSummarySentences
	if len(arts) > 0 {
		if q := c.MaxSummaryCandidates / len(arts); q < quota {
			quota = max(q, 1)
		}
	}
	vocab := map[string]int{}
	nameIDs := map[int]bool{} // term ids written as names
	var cands []cand
	var bags [][]int
	for ai, a := range arts {
		for si, s := range a.sents {
			if si == quota || len(cands) == c.MaxSummaryCandidates {
				break
			}
			var toks []token
			if a.toks != nil {
				toks = a.toks[si]
			} else {
				toks = words(s)
			}
			var ws []string
			if a.content != nil {
				ws = a.content[si]
			} else {
				ws = contentOf(toks)
			}
			if si == 0 {
				if m := datelineRe.FindStringIndex(s); m != nil {
					s = s[m[1]:] // "WASHINGTON (AP) — " is furniture in a summary
					toks = words(s)
					ws = contentOf(toks)
				}
			}
			ids := make([]int, 0, len(ws))
			for _, w := range ws {
				id, ok := vocab[w]
				if !ok {
					id = len(vocab)
					vocab[w] = id
				}
				ids = append(ids, id)
			}
			// names (capitalised past a sentence's first word) are told
			// apart from event words: sharing only names is no shared fact
			for ti, t := range toks {
				if ti > 0 && isCap(t.text) {
					for _, w := range contentOf(toks[ti : ti+1]) {
						if id, ok := vocab[w]; ok {
							nameIDs[id] = true
						}
					}
				}
			}
			cands = append(cands, cand{text: s, article: ai, pos: si, outlets: a.outlets,
				published: a.published, toks: toks})
			bags = append(bags, ids)
		}
	}
	st.cands = len(cands)
	if len(cands) == 0 {
		return nil, st, nil
	}
	df := make([]int, len(vocab))
	lastBag := make([]int, len(vocab))
	for i := range lastBag {
		lastBag[i] = -1
	}
	for bi, b := range bags {
		for _, id := range b {
			if lastBag[id] != bi {
				lastBag[id] = bi
				df[id]++
			}
		}
	}
	n := float64(len(cands))
	for i, b := range bags {
		sort.Ints(b)
		v := svec{ids: make([]int, 0, len(b)), w: make([]float64, 0, len(b))}
		norm := 0.0
		for j := 0; j < len(b); {
			k := j
			for k < len(b) && b[k] == b[j] {
				k++
			}
			w := (1 + math.Log(float64(k-j))) * math.Log(1+n/float64(df[b[j]]))
			v.ids = append(v.ids, b[j])
			v.w = append(v.w, w)
			norm += w * w
			j = k
		}
		norm = math.Sqrt(norm)
		for j := range v.w {
			v.w[j] /= norm
		}
		cands[i].vec = v
	}
	// merge near-identical sentences of different articles. A copy shares its
	// original's heaviest term, so only roots holding that term are compared.
	alias := make([]int, len(cands))
	byTerm := map[int][]int{} // term id -> root candidates containing it
	for i := range cands {
		alias[i] = i
		v := cands[i].vec
		if len(v.ids) > 0 {
			best := 0
			for k := range v.w {
				if v.w[k] > v.w[best] {
					best = k
				}
			}
			for _, j := range byTerm[v.ids[best]] {
				st.pairs++
				if err := tk.tick(); err != nil {
					return nil, st, err
				}
				if cands[j].article != cands[i].article && dot(v, cands[j].vec) >= c.SameSentence {
					alias[i] = j
					cands[j].merge(&cands[i])
					break
				}
			}
		}
		if alias[i] == i {
			for _, id := range v.ids {
				byTerm[id] = append(byTerm[id], i)
			}
		}
	}
	var nodes []int
	for i := range cands {
		if alias[i] == i {
			nodes = append(nodes, i)
		}
	}
	// LexRank by power iteration on the thresholded, weighted cosine graph
	m := len(nodes)
	type edge struct {
		to int
		w  float64
	}
	adj := make([][]edge, m)
	deg := make([]float64, m)
	for a := 0; a < m; a++ {
		for b := a + 1; b < m; b++ {
			st.pairs++
			if err := tk.tick(); err != nil {
				return nil, st, err
			}
			ca, cb := &cands[nodes[a]], &cands[nodes[b]]
			c := dot(ca.vec, cb.vec)
			if c < 0.1 {
				continue
			}
			if ca.article == cb.article {
				c *= 0.3
			}
			adj[a] = append(adj[a], edge{b, c})
			adj[b] = append(adj[b], edge{a, c})
			deg[a] += c
			deg[b] += c
		}
	}
	score := make([]float64, m)
	for a := range score {
		score[a] = 1 / float64(m)
	}
	const damp = 0.85
	next := make([]float64, m)
	for it := 0; it < 30; it++ {
		if err := tk.now(); err != nil {
			return nil, st, err
		}
		for b := range next {
			next[b] = (1 - damp) / float64(m)
		}
		for a := 0; a < m; a++ {
			if deg[a] == 0 {
				continue
			}
			share := damp * score[a] / deg[a]
			for _, e := range adj[a] {
				next[e.to] += share * e.w
			}
		}
		score, next = next, score
	}
	// prefer sentences carried by more outlets and those near an article's lead
	type ranked struct {
		node  int
		score float64
	}
	var rs []ranked
	for a, ci := range nodes {
		c := cands[ci]
		s := score[a] * (1 + 0.3*float64(len(c.outlets)-1)) * (1 + 0.5/float64(1+c.pos))
		rs = append(rs, ranked{ci, s})
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].score > rs[j].score })
	// A candidate stating a fact already chosen is not shown again: its
	// outlets are credited on the chosen line instead.
	var chosen []int
	for _, r := range rs {
		same := -1
		for _, ch := range chosen {
			st.pairs++
			if dot(cands[ch].vec, cands[r.node].vec) >= c.Redundant || c.sameFact(bags[ch], bags[r.node], nameIDs, &cands[ch], &cands[r.node]) {
				same = ch
				break
			}
		}
		// an ineligible line (a fragment, furniture) is never shown but
		// may still credit its outlets to the same fact told in full
		switch {
		case same >= 0:
			cands[same].merge(&cands[r.node])
		case len(chosen) < k && eligibleSentence(cands[r.node].text, cands[r.node].toks):
			chosen = append(chosen, r.node)
		}
	}
	out := make([]Sentence, 0, len(chosen))
	for _, ch := range chosen {
		out = append(out, Sentence{Text: cands[ch].text, Outlets: append([]string(nil), cands[ch].outlets...),
			Published: cands[ch].published})
	}
	datedLines(out)
	return out, st, nil
}

// sameFact: most content words of the shorter sentence are in the other,
// as when outlets reword one lead, and at least two of the shared words
// are not names (two sentences naming the same club and city may tell an
// attack and an arrest). Both bags are sorted term ids.
func (c Config) sameFact(a, b []int, names map[int]bool, ca, cb *cand) bool {
	ua, ub := uniqInts(a), uniqInts(b)
	short := min(ua, ub)
	if short < 4 {
		return false
	}
	share, core := c.share(ca, cb)
	if core > 0 && short > core {
		short = core
	}
	shared, events := 0, 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			shared++
			if !names[a[i]] {
				events++
			}
			x := a[i]
			for i < len(a) && a[i] == x {
				i++
			}
			for j < len(b) && b[j] == x {
				j++
			}
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return events >= 2 && float64(shared) >= share*float64(short)
}

// share is the overlap above which two candidates state one fact: leads of
// different articles published within a day of each other report the same
// event's core, so they need less (outlets word a lead each their own way);
// other sentences need SameFactShare.
func (c Config) share(a, b *cand) (share float64, core int) {
	if a.article != b.article && a.pos <= 1 && b.pos <= 1 {
		d := a.published.Sub(b.published)
		if d < 0 {
			d = -d
		}
		if d <= 36*time.Hour {
			return c.SameLeadShare, c.LeadCoreWords
		}
	}
	return c.SameFactShare, 0
}

// uniqInts counts the distinct values of a sorted slice.
func uniqInts(a []int) int {
	n := 0
	for i := range a {
		if i == 0 || a[i] != a[i-1] {
			n++
		}
	}
	return n
}

// datedLines keeps each line's date only when the lines span days, and
// then lists them in time order so the story reads as it unfolded.
func datedLines(out []Sentence) {
	var lo, hi time.Time
	for _, s := range out {
		if s.Published.IsZero() {
			continue
		}
		if lo.IsZero() || s.Published.Before(lo) {
			lo = s.Published
		}
		if s.Published.After(hi) {
			hi = s.Published
		}
	}
	// a story spans days when its lines fall on different dates at least
	// half a day apart (two reports either side of midnight do not)
	if lo.IsZero() || lo.UTC().Format(time.DateOnly) == hi.UTC().Format(time.DateOnly) || hi.Sub(lo) < 12*time.Hour {
		for i := range out {
			out[i].Published = time.Time{}
		}
		return
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Published, out[j].Published
		return !a.IsZero() && (b.IsZero() || a.UTC().Format(time.DateOnly) < b.UTC().Format(time.DateOnly))
	})
}

var boilerplate = []string{"copyright", "all rights reserved", "click here", "subscribe", "sign up", "newsletter",
	"http://", "https://", "www.", "follow us", "read more", "related articles", "comments", "advertisement", "©",
	"contributed to this report", "reporting by", "editing by", "stay with", "for more on this", "download our app",
	"please contact", "anyone with information", "crime stoppers", "is asked to call", "are asked to call",
	"check back", "this story will be updated", "developing story", "refresh this page", "watch the video",
	"image 1 of", "caption", "getty images", "photo credit", "enlarge this image", "share this"}

// phoneRe matches telephone numbers: a line asking readers to call is furniture.
var phoneRe = regexp.MustCompile(`\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b`)

// eligibleSentence: a complete declarative sentence of 8-60 words that
// stands on its own (no leading quotation, pronoun or first person, no
// quotation left open, no trailing ellipsis) and is not page furniture or
// caption residue.
func eligibleSentence(s string, toks []token) bool {
	n := len(toks)
	if n < 8 || n > 60 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if last != '.' && !isCloseQuote(last) && last != '!' {
		return false
	}
	if strings.HasSuffix(s, "..") || strings.HasSuffix(strings.TrimRight(s, "\"”'’"), "..") || strings.Contains(s, "…") {
		return false // "When did I..." is a fragment
	}
	// a quotation opened and not closed (or closed and not opened) is cut
	if strings.Count(s, "\"")%2 == 1 || strings.Count(s, "“") != strings.Count(s, "”") {
		return false
	}
	ls := lowerASCII(s)
	for _, b := range boilerplate {
		if strings.Contains(ls, b) {
			return false
		}
	}
	if hasFurniture(s) || phoneRe.MatchString(s) {
		return false
	}
	first := lowerASCII(toks[0].text)
	switch first {
	case "he", "she", "they", "it", "this", "that", "these", "those", "his", "her", "their", "but", "and", "so", "also",
		"i", "i'm", "i’m", "we", "we're", "my", "our", "you", "your", "me", "us", "or", "then", "still", "meanwhile",
		"it's", "it’s", "that's", "that’s":
		return false
	}
	return true
}

func unionStrings(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, x := range b {
		found := false
		for _, y := range out {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}
