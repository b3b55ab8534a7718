package story

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dateline-news/dateline/internal/text"
)

// term is one weighted feature of a document: a word stem, a capitalised name
// (single word or phrase) or a number, keyed by the hash of its kind-prefixed form.
type term struct {
	h uint64
	w float32
	k kind
}

// features is a document's analysed form: an L2-normalised sparse vector sorted
// by hash, display forms for explanations, and a SimHash for copy detection.
type features struct {
	terms   []term
	disp    []uint64   // sorted hashes of the heaviest terms, displayable until the next analysis
	sim     uint64     // SimHash of body shingles, 0 when too short
	title   []uint64   // sorted distinct title word terms, to confirm copies
	paras   []uint64   // hashes of body paragraphs, to learn boilerplate
	lead    []uint64   // title and lead terms (scratch: valid until the next analysis)
	idents  []identKey // distinct adjacent name pairs, by hash (scratch, like lead)
	nTokens int        // content tokens (title + body), for length-adaptive thresholds
	body    bool       // has body text, not just a headline
}

type kind uint8

const (
	kWord kind = iota
	kName
	kNum
)

// dfTable holds online document frequencies. Counts halve every halfLife
// documents so the table tracks recent usage and stays bounded in size.
type dfTable struct {
	n        float64
	logN     float64 // ln(n+10), cached for n == logNFor
	logNFor  float64
	df       text.Table[float32]
	seen     int
	halfLife int
}

func newDF(halfLife int) *dfTable {
	return &dfTable{halfLife: halfLife, logNFor: -1}
}

// idf smooths with pseudo-documents so early in a stream every unseen term is
// merely "rare" rather than infinitely informative.
func (t *dfTable) idf(h uint64) float64 {
	if t.n != t.logNFor {
		t.logN, t.logNFor = math.Log(t.n+10), t.n
	}
	v, _ := t.df.Get(h)
	return t.logN - logPlus1(float64(v))
}

// logHalves[i] is ln(1 + i/2): document frequencies are whole or, after
// halving, half numbers, so most logarithms come from this table.
var logHalves = func() (t [8192]float64) {
	for i := range t {
		t[i] = math.Log1p(float64(i) / 2)
	}
	return t
}()

func logPlus1(x float64) float64 {
	if i := int(x * 2); i < len(logHalves) && float64(i) == x*2 {
		return logHalves[i]
	}
	return math.Log1p(x)
}

func (t *dfTable) add(hs []uint64) {
	for _, h := range hs {
		*t.df.Ptr(h)++
	}
	t.n++
	t.seen++
	if t.halfLife > 0 && t.seen >= t.halfLife {
		t.seen = 0
		t.n /= 2
		t.df.Filter(func(_ uint64, v *float32) bool {
			*v /= 2
			return *v >= 0.75
		})
	}
}

// analyzer turns documents into features, reusing scratch space between calls.
type analyzer struct {
	cfg     *Config
	toks    []text.Token
	th      []uint64 // hash of each token's text
	words   text.Table[wordInfo]
	hs      []uint64          // distinct term hashes of the last document
	sh      []uint64          // shingles of the last document
	lead    []uint64          // term hashes of the title and lead, for outlet boilerplate
	idents  []identKey        // adjacent name pairs of the last document
	terms   []term            // scratch for weighing every term of a document
	acc     text.Table[int32] // term hash -> index in ents
	ents    []entry
	src     map[string]*sourceStats
	outlets map[string]string // source -> outlet
	boiler  storyCounter
	docs    int64 // documents learnt, to count paragraphs per document
	cases   caseStats
	names   text.NameFinder
	// lowercased title and body; token texts are substrings of them
	lowTitle, lowBody text.Lower
}

// wordInfo caches, per language and token text, the stem's hash and whether
// the word is a stop word: one lookup per token instead of stop list, stem
// memo and hashing.
type wordInfo struct {
	stem uint64
	stop bool
}

// word returns the term hash of a lowercased word (its stem's hash) and
// whether it is a stop word (or too short to mean anything).
func (a *analyzer) word(lang, w string, h uint64) (uint64, bool) {
	key := h
	if lang != "en" && lang != "" {
		key ^= text.Hash(lang) * 0x9e3779b97f4a7c15
	}
	if wi, ok := a.words.Get(key); ok {
		return wi.stem, wi.stop
	}
	wi := wordInfo{stem: h, stop: utf8.RuneCountInString(w) < 2 || text.IsStop(lang, w)}
	if !wi.stop {
		if st := text.Stem(lang, w); st != w {
			wi.stem = text.Hash(st)
		}
	}
	if a.words.Len() >= maxWords {
		a.words.Clear()
	}
	a.words.Put(key, wi)
	return wi.stem, wi.stop
}

const maxWords = 200_000

// entry accumulates one term of the document being analysed.
type entry struct {
	h    uint64
	tf   float64
	k    kind
	lead bool // seen in the title or lead
	disp string
	pos  int32 // first token; a name pair (disp "") is displayed from it
}

// caseStats counts, per lowercased word, how often it was written capitalised
// where capitals are informative (mid-sentence) and how often in lower case.
type caseStats struct {
	m   text.Table[[2]float32]
	max int
}

func (cs *caseStats) learn(toks []text.Token, hs []uint64) {
	for i, t := range toks {
		if t.Num || t.Start {
			continue
		}
		c := cs.m.Ptr(hs[i])
		if t.Cap {
			c[0]++
		} else {
			c[1]++
		}
	}
	if cs.m.Len() > cs.max {
		cs.m.Filter(func(_ uint64, c *[2]float32) bool {
			*c = [2]float32{c[0] / 2, c[1] / 2}
			return c[0]+c[1] > 1
		})
	}
}

// isName: seen capitalised mid-sentence at least twice and mostly so.
func (cs *caseStats) isName(h uint64) bool {
	c, _ := cs.m.Get(h)
	return c[0] >= 2 && c[0] >= 3*c[1]
}

// storyCounter counts, per hash, in how many distinct stories it was seen;
// bounded by forgetting hashes seen in one story only.
type storyCounter struct {
	m   text.Table[srcTerm]
	max int
}

func (sc *storyCounter) add(story int64, hs []uint64) {
	for _, h := range hs {
		t := sc.m.Ptr(h)
		if t.last != story || t.stories == 0 {
			t.stories++
			t.last = story
		}
	}
	if sc.m.Len() > sc.max {
		sc.m.Filter(func(_ uint64, t *srcTerm) bool {
			t.stories--
			return t.stories > 0
		})
	}
}

// isBoilerplate: a paragraph already found in two other documents is site
// furniture (syndicated copies never get this far: they are caught first).
func (sc *storyCounter) isBoilerplate(h uint64) bool {
	t, _ := sc.m.Get(h)
	return t.stories >= 2
}

// sourceStats counts in how many of one outlet's recent stories each term
// occurs, so the outlet's boilerplate (site name in every title, login prompts,
// newsletter blurbs) can be discounted: it recurs across the outlet's unrelated
// stories, while event words recur only within one story.
type sourceStats struct {
	stories map[int64]struct{}
	docs    float32
	terms   text.Table[srcTerm]
}

type srcTerm struct {
	stories float32 // distinct stories of this source using the term
	docs    float32 // documents of this source using the term
	last    int64   // last story counted
	lastDoc int64   // last document counted
}

const maxSourceTerms = 4096

// factor is the weight multiplier for a term of this source: 1 for terms in
// at most a quarter of its stories, falling to 0 at three quarters; and, since
// boilerplate can itself pull an outlet's articles into one story, also
// falling from 1 to 0 as the share of its documents goes from 1/2 to 9/10.
func (s *sourceStats) factor(h uint64) float64 {
	if s == nil || len(s.stories) < 3 && s.docs < 5 {
		return 1
	}
	t, _ := s.terms.Get(h)
	f := 1.0
	if len(s.stories) >= 3 {
		frac := float64(t.stories) / float64(len(s.stories))
		f = math.Min(f, 1-(frac-0.25)/0.5)
	}
	if s.docs >= 5 {
		frac := float64(t.docs / s.docs)
		f = math.Min(f, 1-(frac-0.5)/0.4)
	}
	return math.Min(1, math.Max(0, f))
}

// learn records a decided document: its outlet's terms and its paragraphs.
func (a *analyzer) learn(source string, story int64, f *features) {
	// Paragraphs count per document, not per story: boilerplate that made
	// unrelated articles join one story must still be recognised.
	a.docs++
	a.boiler.add(a.docs, f.paras)
	a.learnSource(source, story, a.docs, f.lead)
}

func (a *analyzer) learnSource(source string, story, doc int64, hs []uint64) {
	if source == "" {
		return
	}
	source = a.outlet(source)
	s := a.src[source]
	if s == nil {
		s = &sourceStats{stories: map[int64]struct{}{}}
		a.src[source] = s
	}
	s.stories[story] = struct{}{}
	s.docs++
	for _, h := range hs {
		t := s.terms.Ptr(h)
		if t.lastDoc == doc {
			continue
		}
		t.lastDoc = doc
		t.docs++
		if t.last != story || t.stories == 0 {
			t.stories++
			t.last = story
		}
	}
	// Bounded: forget terms seen once, then halve everything.
	if s.terms.Len() > maxSourceTerms || len(s.stories) >= 200 || s.docs >= 400 {
		s.terms.Filter(func(_ uint64, t *srcTerm) bool { return t.docs > 1 })
		if s.terms.Len() > maxSourceTerms/2 || len(s.stories) >= 200 || s.docs >= 400 {
			n := len(s.stories) / 2
			for id := range s.stories {
				if len(s.stories) <= n {
					break
				}
				delete(s.stories, id)
			}
			s.docs /= 2
			s.terms.Filter(func(_ uint64, t *srcTerm) bool {
				t.stories /= 2
				t.docs /= 2
				return true
			})
		}
	}
}

func newAnalyzer(cfg *Config) *analyzer {
	return &analyzer{
		cfg:     cfg,
		src:     map[string]*sourceStats{},
		outlets: map[string]string{},
		boiler:  storyCounter{max: 50_000},
		cases:   caseStats{max: 300_000},
	}
}

// analyze returns d's features and the distinct term hashes to count in df.
// It runs on every article, so it works on token hashes and one accumulator map.
func (a *analyzer) analyze(d *Doc, df *dfTable) (features, []uint64) {
	lang := strings.ToLower(d.Lang)
	if len(lang) > 2 {
		lang = lang[:2]
	}
	a.acc.Clear()
	a.ents = a.ents[:0]
	a.toks = text.AppendTokensLower(a.toks[:0], d.Title, a.lowTitle.String(d.Title))
	nTitle := len(a.toks)
	// Body paragraph by paragraph, skipping paragraphs already seen in other
	// stories: site furniture ("Your notification has been saved.") repeats
	// verbatim across unrelated articles.
	var paras []uint64
	// Lowercase the part of the body that can be analysed once, rather
	// than paragraph by paragraph.
	// Token texts point into these buffers: valid until the next analysis.
	lower := a.lowBody.String(d.Text[:min(len(d.Text), 10*a.cfg.MaxBodyTokens)])
	if len(lower) != min(len(d.Text), 10*a.cfg.MaxBodyTokens) {
		lower = "" // case mapping changed lengths: offsets would not agree
	}
	for rest := d.Text; rest != "" && len(a.toks)-nTitle < a.cfg.MaxBodyTokens; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		off := len(d.Text) - len(rest) - len(line)
		if rest != "" || strings.HasSuffix(d.Text, "\n") {
			off-- // the newline
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		off += len(line) - len(strings.TrimLeftFunc(line, unicode.IsSpace))
		line = trimmed
		h := text.Hash(line)
		paras = append(paras, h)
		if a.boiler.isBoilerplate(h) {
			continue
		}
		n := len(a.toks)
		if end := off + len(line); end <= len(lower) {
			a.toks = text.AppendTokensLower(a.toks, line, lower[off:end])
		} else {
			a.toks = text.AppendTokens(a.toks, line)
		}
		if n < len(a.toks) {
			a.toks[n].Start = true
		}
	}
	toks := a.toks
	if isTitleCase(lang, toks[:nTitle]) {
		// Title Case capitals say nothing: let the body vouch for names.
		for i := 0; i < nTitle; i++ {
			toks[i].Start = true
		}
	}
	a.th = a.th[:0]
	for _, t := range toks {
		a.th = append(a.th, text.Hash(t.Text))
	}

	weightAt := func(i int) float64 {
		switch {
		case i < nTitle:
			return a.cfg.TitleWeight
		case i-nTitle < a.cfg.LeadTokens:
			return a.cfg.LeadWeight
		}
		return 1
	}
	a.lead = a.lead[:0]
	leadEnd := nTitle + a.cfg.LeadTokens
	add := func(h uint64, k kind, w float64, display string, pos int) {
		if k != kWord {
			h ^= uint64(k) * 0x9e3779b97f4a7c15
		}
		lead := pos < leadEnd
		if lead {
			a.lead = append(a.lead, h)
		}
		// indexes are stored plus one: zero means absent
		p := a.acc.Ptr(h)
		if i := *p - 1; i >= 0 {
			a.ents[i].tf += w
			a.ents[i].lead = a.ents[i].lead || lead
			return
		}
		*p = int32(len(a.ents)) + 1
		a.ents = append(a.ents, entry{h: h, tf: w, k: k, disp: display, lead: lead, pos: int32(pos)})
	}

	content := 0
	var title []uint64
	for i, t := range toks {
		w := weightAt(i)
		if t.Num {
			if len(t.Text) < 2 {
				w *= 0.5 // single digits ("3 wounded") are weak evidence
			}
			add(a.th[i], kNum, w, t.Text, i)
			content++
			continue
		}
		h, stop := a.word(lang, t.Text, a.th[i])
		if stop {
			continue
		}
		content++
		add(h, kWord, w, t.Text, i)
		if i < nTitle {
			title = append(title, h)
		}
	}

	spans := a.names.SpansOf(lang, toks, a.th)
	// Capitals that say nothing in this document (sentence starts, Title Case
	// headlines) are judged by how the word is written across the stream:
	// "Bachelor", "Titanfall" are mostly capitalised mid-sentence elsewhere,
	// "finale" is not. This is how headline-only documents get their names.
	inSpan := 0
	for i, t := range toks {
		for inSpan < len(spans) && spans[inSpan][1] <= i {
			inSpan++
		}
		if inSpan < len(spans) && spans[inSpan][0] <= i {
			continue
		}
		if !t.Cap || t.Num || !t.Start || !a.cases.isName(a.th[i]) || text.IsStop(lang, t.Text) {
			continue
		}
		add(a.th[i], kName, weightAt(i), t.Text, i)
	}
	a.cases.learn(toks[:min(len(toks), nTitle+a.cfg.LeadTokens)], a.th)

	// Multi-word names as their words and adjacent pairs: "Joseph Jesse
	// Aldridge" then still matches "Jesse Aldridge" and "Aldridge".
	a.idents = a.idents[:0]
	for _, sp := range spans {
		w := weightAt(sp[0])
		// Offices, institutions and outlets recur across unrelated events.
		ident := true
		for i := sp[0]; i < sp[1]; i++ {
			if text.IsRoleWord(lang, toks[i].Text) {
				ident = false
			}
		}
		for i := sp[0]; i < sp[1]; i++ {
			if a.cfg.NameWords || sp[1]-sp[0] == 1 {
				add(a.th[i], kName, w, toks[i].Text, i)
			}
			if i+1 < sp[1] {
				h := a.th[i]*31 + a.th[i+1]
				add(h, kName, w, "", i)
				if ident {
					a.idents = append(a.idents, identKey{h ^ uint64(kName)*0x9e3779b97f4a7c15, a.th[i], a.th[i+1]})
				}
			}
		}
	}

	hs := a.hs[:0]
	terms := a.terms[:0]
	src := a.src[a.outlet(d.Source)]
	for i := range a.ents {
		e := &a.ents[i]
		hs = append(hs, e.h)
		idf := df.idf(e.h)
		if a.cfg.IDFPower != 0 && a.cfg.IDFPower != 1 && idf > 0 {
			idf = math.Pow(idf, a.cfg.IDFPower)
		}
		wt := idf
		if e.lead {
			// outlet boilerplate is learnt from titles and leads only
			wt *= src.factor(e.h)
		}
		if e.tf != 1 {
			wt *= 1 + math.Log(e.tf)
		}
		switch e.k {
		case kName:
			wt *= a.cfg.NameWeight
		case kNum:
			wt *= a.cfg.NumberWeight
		}
		if wt > 0 {
			terms = append(terms, term{e.h, float32(wt), e.k})
		}
	}
	// Keep the MaxTerms heaviest (selection, not a full sort), and remember
	// display forms for the dozen heaviest, for explanations.
	if len(terms) > a.cfg.MaxTerms {
		selectTop(terms, a.cfg.MaxTerms)
		terms = terms[:a.cfg.MaxTerms]
	}
	top := min(12, len(terms))
	selectTop(terms, top)
	disp := make([]uint64, top)
	for i, t := range terms[:top] {
		disp[i] = t.h
	}
	slices.Sort(disp)
	a.terms = terms
	// The kept terms outlive this call (members hold them): copy them out
	// of the scratch at their exact size.
	terms = slices.Clone(terms)
	normalize(terms)
	sortByHash(terms)
	f := features{terms: terms, disp: disp, nTokens: content, paras: paras, body: len(toks) > nTitle}
	slices.Sort(title)
	f.title = slices.Compact(title)

	// SimHash over 4-word shingles of the body with stop words kept: copies
	// differ in boilerplate, not in the wording of the agency text.
	if len(toks)-nTitle >= a.cfg.MinCopyTokens {
		a.sh = text.AppendShingles(a.sh[:0], a.th[nTitle:], 4)
		f.sim = text.SimHash(a.sh)
	}
	a.hs = hs
	f.lead = a.lead
	slices.SortFunc(a.idents, func(x, y identKey) int { return cmp.Compare(x.h, y.h) })
	a.idents = slices.CompactFunc(a.idents, func(x, y identKey) bool { return x.h == y.h })
	f.idents = a.idents
	return f, hs
}

// display is how term h of the document last analysed reads in an
// explanation: names title-cased, name pairs as two words.
func (a *analyzer) display(h uint64) string {
	i, ok := a.acc.Get(h)
	if !ok {
		return ""
	}
	e := a.ents[i-1]
	if e.disp == "" {
		e.disp = a.toks[e.pos].Text + " " + a.toks[e.pos+1].Text
	}
	if e.k == kName {
		return titleWord(e.disp)
	}
	return strings.Clone(e.disp) // token texts live in scratch space
}

func normalize(ts []term) {
	var s float64
	for _, t := range ts {
		s += float64(t.w) * float64(t.w)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range ts {
		ts[i].w *= inv
	}
}

// isTitleCase reports a headline where most content words are capitalised,
// so capitals do not mark names.
func isTitleCase(lang string, toks []text.Token) bool {
	caps, n := 0, 0
	for _, t := range toks {
		if t.Num || text.IsStop(lang, t.Text) {
			continue
		}
		n++
		if t.Cap {
			caps++
		}
	}
	return n >= 3 && caps*10 >= n*7
}

func titleWord(s string) string {
	b := []rune(s)
	up := true
	for i, r := range b {
		if up {
			b[i] = unicode.ToUpper(r)
		}
		up = r == ' '
	}
	return string(b)
}

// dot is the inner product of two hash-sorted sparse vectors.
func dot(a, b []term) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].h == b[j].h:
			s += float64(a[i].w) * float64(b[j].w)
			i++
			j++
		case a[i].h < b[j].h:
			i++
		default:
			j++
		}
	}
	return s
}

// jaccard of two sorted distinct hash lists.
func jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// heavier orders terms by weight, ties by hash, so selection is deterministic.
func heavier(x, y term) bool {
	if x.w != y.w {
		return x.w > y.w
	}
	return x.h < y.h
}

// selectTop reorders ts so its k heaviest terms come first (in no order).
func selectTop(ts []term, k int) {
	lo, hi := 0, len(ts)-1
	for lo < hi && k > 0 && k < len(ts) {
		// median of three as pivot
		mid := lo + (hi-lo)/2
		if heavier(ts[mid], ts[lo]) {
			ts[mid], ts[lo] = ts[lo], ts[mid]
		}
		if heavier(ts[hi], ts[lo]) {
			ts[hi], ts[lo] = ts[lo], ts[hi]
		}
		if heavier(ts[mid], ts[hi]) {
			ts[mid], ts[hi] = ts[hi], ts[mid]
		}
		p := ts[hi]
		i := lo
		for j := lo; j < hi; j++ {
			if heavier(ts[j], p) {
				ts[i], ts[j] = ts[j], ts[i]
				i++
			}
		}
		ts[i], ts[hi] = ts[hi], ts[i]
		switch {
		case i == k || i == k-1:
			return
		case i < k:
			lo = i + 1
		default:
			hi = i - 1
		}
	}
}

// outlet is outlet(source), remembered: every article asks twice.
func (a *analyzer) outlet(source string) string {
	if o, ok := a.outlets[source]; ok {
		return o
	}
	if len(a.outlets) >= 10_000 {
		clear(a.outlets)
	}
	o := outlet(source)
	a.outlets[source] = o
	return o
}

// outlet reduces a source to the site family that shares its templates:
// "chicago.cbslocal.com:80" and "dfw.cbslocal.com" are both "cbslocal.com".
// Sources that are not host names are used as they are.
func outlet(source string) string {
	host := strings.ToLower(source)
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], ".") {
		host = host[:i]
	}
	if strings.ContainsAny(host, " /()") || !strings.Contains(host, ".") {
		return source
	}
	labels := strings.Split(host, ".")
	n := 2
	if len(labels) >= 3 && len(labels[len(labels)-2]) <= 3 && len(labels[len(labels)-1]) == 2 {
		n = 3 // bbc.co.uk, abc.net.au
	}
	if len(labels) <= n {
		return host
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

// sortByHash sorts terms by hash: a plain quicksort on the key, about twice
// as fast as a generic sort with a comparison function (it runs per article).
func sortByHash(ts []term) {
	for len(ts) > 12 {
		// median of three
		m := len(ts) / 2
		if ts[m].h < ts[0].h {
			ts[m], ts[0] = ts[0], ts[m]
		}
		if ts[len(ts)-1].h < ts[0].h {
			ts[len(ts)-1], ts[0] = ts[0], ts[len(ts)-1]
		}
		if ts[len(ts)-1].h < ts[m].h {
			ts[len(ts)-1], ts[m] = ts[m], ts[len(ts)-1]
		}
		p := ts[m].h
		i, j := 0, len(ts)-1
		for i <= j {
			for ts[i].h < p {
				i++
			}
			for ts[j].h > p {
				j--
			}
			if i <= j {
				ts[i], ts[j] = ts[j], ts[i]
				i++
				j--
			}
		}
		// recurse into the smaller part, loop on the larger
		if j+1 < len(ts)-i {
			sortByHash(ts[:j+1])
			ts = ts[i:]
		} else {
			sortByHash(ts[i:])
			ts = ts[:j+1]
		}
	}
	for i := 1; i < len(ts); i++ {
		for k := i; k > 0 && ts[k].h < ts[k-1].h; k-- {
			ts[k], ts[k-1] = ts[k-1], ts[k]
		}
	}
}
