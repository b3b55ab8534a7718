// Package insight derives what a reader wants around a story from its
// articles alone: entities, hashtags, an extractive multi-outlet summary,
// quotations with speakers, attributed figures and terms for related-story
// matching. It needs no model and no network; everything is plain functions.
//
// Decisions where the brief left room:
//   - Entities come from the article body only (headlines are title-cased
//     throughout). Capitalised runs are kept when a gazetteer, a keyword
//     (Street, Hospital, Department), a title, an age or a speech verb
//     vouches for them, or when they recur; lone sentence-initial words,
//     months, weekdays, demonyms and shouting are dropped.
//   - A quotation is a quoted span of at least four words; shorter ones are
//     scare quotes or snippets ("within days", "family gathering").
//   - Speaker is a named person or organisation, or empty. When the text
//     describes the speaker without a name ("said one senior U.S. official",
//     "the woman told …"), Speaker stays empty and SpeakerDesc holds the
//     description; "the judge" resolves only if exactly one person was
//     titled Judge. He/she resolve to the person named first in the nearest
//     earlier sentence that names one, unless that sentence reports speech
//     by someone unnamed ("Another woman … told Lazar").
//   - Figures are kept only as a complete value with a counted noun and a
//     source named in the same sentence.
//   - Hashtags are entity names and recurring noun phrases as written.
//   - Summaries credit every outlet telling a fact on one line, show only
//     complete lines, and are dated when the story spans days.
//   - Related needs a shared storyline or distinctive entities; it lists
//     the best-scoring candidates, then orders them most recent first.
//   - The work is bounded and cancellable: see Config.
package insight

import (
	"context"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dateline-news/dateline/internal/text"
)

// Article is one outlet's article in a story.
type Article struct {
	ID        int64
	Title     string
	Text      string
	Outlet    string
	URL       string
	Published time.Time
	CopyOf    int64  // nonzero: syndicated copy of article CopyOf
	Lang      string // ISO 639-1; "" is English. Sets the stop words and stems of summaries and terms.
}

// Insight is what Story and ArticleInsight derive.
type Insight struct {
	Entities []Entity   `json:"entities"`
	Hashtags []string   `json:"hashtags"`
	Summary  []Sentence `json:"summary"`
	Quotes   []Quote    `json:"quotes"`
	Figures  []Figure   `json:"figures"`
	Terms    []string   `json:"-"` // salient terms for related-story matching
}

// Story derives the insight of a story from its articles with
// DefaultConfig. It returns ctx's error, and no insight, when ctx ends first.
func Story(ctx context.Context, arts []Article) (Insight, error) {
	return DefaultConfig().Story(ctx, arts)
}

// ArticleInsight derives one article's insight with DefaultConfig.
func ArticleInsight(ctx context.Context, a Article) (Insight, []string, error) {
	return DefaultConfig().ArticleInsight(ctx, a)
}

// Story derives the insight of a story from its articles. Syndicated copies
// (CopyOf set to an article in arts) add their outlet to what the original
// says but are not counted again. At most MaxStoryArticles originals are
// read, each clipped to its share of MaxStoryBytes.
func (c Config) Story(ctx context.Context, arts []Article) (Insight, error) {
	in, _, err := c.story(ctx, arts)
	return in, err
}

// storyRun is what one Story call did, for tests of its bounds.
type storyRun struct {
	originals int // articles analysed
	bytes     int // text analysed
	quotes    int // quotes merged
	sum       sumStats
}

func (c Config) story(ctx context.Context, arts []Article) (Insight, storyRun, error) {
	var run storyRun
	if err := ctx.Err(); err != nil {
		return Insight{}, run, err
	}
	if len(arts) == 0 {
		return Insight{}, run, nil
	}
	ids := map[int64]int{}
	for i, a := range arts {
		if _, dup := ids[a.ID]; !dup {
			ids[a.ID] = i
		}
	}
	// originals, in the caller's order, up to the cap
	copyOf := make([]int, len(arts)) // index of the original, or -1
	read := make([]bool, len(arts))
	n := 0
	for i, a := range arts {
		copyOf[i] = -1
		if j, ok := ids[a.CopyOf]; ok && a.CopyOf != 0 && j != i && arts[j].CopyOf == 0 {
			copyOf[i] = j
			continue
		}
		if n < c.MaxStoryArticles {
			read[i] = true
			n++
		}
	}
	budget := c.articleBudget(n)
	docs := make([]*doc, len(arts))
	for i, a := range arts {
		if !read[i] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return Insight{}, run, err
		}
		t := clip(a.Text, budget)
		run.originals++
		run.bytes += len(t)
		docs[i] = safely(func() *doc { return analyze(t) })
	}
	// outlets per original, including its copies
	outlets := make([][]string, len(arts))
	for i, a := range arts {
		o := i
		if copyOf[i] >= 0 {
			o = copyOf[i]
		}
		if a.Outlet != "" && docs[o] != nil {
			outlets[o] = unionStrings(outlets[o], []string{a.Outlet})
		}
	}
	canon := storyNames(docs)
	var in Insight
	in.Entities = storyEntities(docs, canon, c.MaxEntities)

	var sa []sumArticle
	for i, d := range docs {
		if d == nil {
			continue
		}
		sa = append(sa, docArticle(d, outlets[i], arts[i].Published, arts[i].Lang))
	}
	k := 3
	if len(sa) == 2 {
		k = 4
	} else if len(sa) > 2 {
		k = 5
	}
	var err error
	in.Summary, run.sum, err = c.summarize(ctx, sa, k)
	if err != nil {
		return Insight{}, run, err
	}

	var qs []Quote
	for i, d := range docs {
		if d == nil {
			continue
		}
		dq := safely(d.quotes)
		if len(dq) > c.MaxQuotesPerArticle {
			dq = dq[:c.MaxQuotesPerArticle]
		}
		if room := c.MaxStoryQuotes - len(qs); len(dq) > room {
			dq = dq[:max(room, 0)]
		}
		for _, q := range dq {
			q.Speaker = canonName(canon, q.Speaker)
			q.Outlets = outlets[i]
			qs = append(qs, q)
		}
	}
	if err := ctx.Err(); err != nil {
		return Insight{}, run, err
	}
	run.quotes = len(qs)
	in.Quotes = mergeQuotes(qs)
	if len(in.Quotes) > c.MaxQuotes {
		in.Quotes = in.Quotes[:c.MaxQuotes]
	}

	seen := map[Figure]bool{}
	for i, d := range docs {
		if d == nil {
			continue
		}
		fs := safely(d.figures)
		if len(fs) > c.MaxFiguresPerArticle {
			fs = fs[:c.MaxFiguresPerArticle]
		}
		for _, f := range fs {
			f.SaidBy = canonName(canon, f.SaidBy)
			for _, o := range orEmpty(outlets[i]) {
				f.Outlet = o
				if !seen[f] {
					seen[f] = true
					in.Figures = append(in.Figures, f)
				}
			}
		}
	}
	// figures about the same thing sit together, so differing accounts show
	sort.SliceStable(in.Figures, func(i, j int) bool {
		return stem(lowerASCII(lastWord(in.Figures[i].What))) < stem(lowerASCII(lastWord(in.Figures[j].What)))
	})
	if len(in.Figures) > c.MaxFigures {
		in.Figures = in.Figures[:c.MaxFigures]
	}
	if err := ctx.Err(); err != nil {
		return Insight{}, run, err
	}
	in.Terms = storyTerms(arts, docs, c.MaxTerms)
	in.Hashtags = hashtags(in.Entities, storyPhrases(docs), lowerWords(docs), c.MaxHashtags)
	return in, run, nil
}

// ArticleInsight derives one article's entities, hashtags, quotes and
// figures, and its key points (two or three central sentences).
func (c Config) ArticleInsight(ctx context.Context, a Article) (Insight, []string, error) {
	a.CopyOf = 0
	in, run, err := c.story(ctx, []Article{a})
	if err != nil {
		return Insight{}, nil, err
	}
	k := 3
	if run.sum.cands < 8 {
		k = 2
	}
	// the one-article summary is the key points; Story picked three (or two)
	var points []string
	for i, s := range in.Summary {
		if i == k {
			break
		}
		points = append(points, s.Text)
	}
	in.Summary = nil
	return in, points, nil
}

// safely runs one extractor on one article; a panic there (a bug on some
// unforeseen text) costs that article's contribution, not the whole story
// page. The extractors have fuzz tests; this is the last line of defence.
func safely[T any](f func() T) (v T) {
	defer func() {
		if recover() != nil {
			var zero T
			v = zero
		}
	}()
	return f()
}

func orEmpty(s []string) []string {
	if len(s) == 0 {
		return []string{""}
	}
	return s
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// storyNames maps short person names to the full names used anywhere in the
// story: one outlet's "Trump" is another's "Donald Trump".
func storyNames(docs []*doc) map[string]string {
	byLast := map[string][]string{}
	for _, d := range docs {
		if d == nil {
			continue
		}
		for _, e := range d.entities {
			f := strings.Fields(e.Name)
			if e.Kind == KindPerson && len(f) >= 2 {
				byLast[f[len(f)-1]] = appendUniq(byLast[f[len(f)-1]], e.Name)
			}
		}
	}
	canon := map[string]string{}
	for last, names := range byLast {
		if len(names) == 1 {
			canon[last] = names[0]
		}
	}
	return canon
}

func canonName(canon map[string]string, name string) string {
	if c, ok := canon[name]; ok {
		return c
	}
	return name
}

// storyEntities merges the articles' entities, ranked by how many articles
// name them and then by mentions.
func storyEntities(docs []*doc, canon map[string]string, max int) []Entity {
	type agg struct {
		e        Entity
		articles int
		first    int
	}
	m := map[string]*agg{}
	order := 0
	for _, d := range docs {
		if d == nil {
			continue
		}
		seen := map[string]bool{}
		for _, e := range d.entities {
			name := canonName(canon, e.Name)
			a, ok := m[name]
			if !ok {
				a = &agg{e: Entity{Name: name, Kind: e.Kind}, first: order}
				order++
				m[name] = a
			}
			if name != e.Name && e.Kind == KindPerson {
				a.e.Kind = KindPerson
			}
			a.e.Count += e.Count
			if !seen[name] {
				seen[name] = true
				a.articles++
			}
		}
	}
	list := make([]*agg, 0, len(m))
	for _, a := range m {
		list = append(list, a)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.articles != b.articles {
			return a.articles > b.articles
		}
		if a.e.Count != b.e.Count {
			return a.e.Count > b.e.Count
		}
		return a.first < b.first
	})
	var out []Entity
	for _, a := range list {
		if len(out) == max {
			break
		}
		out = append(out, a.e)
	}
	return out
}

// mergeQuotes joins the same quotation carried by several outlets: same
// words, or one contained in the other (an outlet may trim a quotation).
func mergeQuotes(qs []Quote) []Quote {
	var out []Quote
	var keys []string
	for _, q := range qs {
		k := normKey(q.Text)
		merged := false
		for i, ok := range keys {
			if k == ok || (len(k) > 20 && strings.Contains(ok, k)) || (len(ok) > 20 && strings.Contains(k, ok)) {
				out[i].Outlets = unionStrings(out[i].Outlets, q.Outlets)
				if out[i].Speaker == "" && q.Speaker != "" {
					out[i].Speaker, out[i].SpeakerDesc = q.Speaker, ""
				}
				if len(k) > len(ok) {
					out[i].Text, keys[i] = q.Text, k
				}
				merged = true
				break
			}
		}
		if !merged {
			q.Outlets = append([]string(nil), q.Outlets...)
			out = append(out, q)
			keys = append(keys, k)
		}
	}
	// quotations carried by more outlets first, then named speakers
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i].Outlets) != len(out[j].Outlets) {
			return len(out[i].Outlets) > len(out[j].Outlets)
		}
		return out[i].Speaker != "" && out[j].Speaker == ""
	})
	return out
}

func headlineWords(arts []Article) map[string]bool {
	m := map[string]bool{}
	for _, a := range arts {
		for _, w := range contentIn(a.Lang, words(a.Title)) {
			m[w] = true
		}
	}
	return m
}

// storyTerms ranks content words by the number of articles using them,
// then frequency, with a bonus for headline words; entity words are included
// lower-cased so related stories can match on them too.
func storyTerms(arts []Article, docs []*doc, max int) []string {
	tf := map[string]int{}
	df := map[string]int{}
	lastArt := map[string]int{}
	for i, a := range arts {
		if docs[i] == nil {
			continue
		}
		count := func(ws []string) {
			for _, w := range ws {
				if len(w) < 4 {
					continue
				}
				tf[w]++
				if j, ok := lastArt[w]; !ok || j != i {
					lastArt[w] = i
					df[w]++
				}
			}
		}
		count(contentIn(a.Lang, words(a.Title)))
		for _, cw := range docContent(docs[i], a.Lang) {
			count(cw)
		}
	}
	title := headlineWords(arts)
	type ts struct {
		t string
		s float64
	}
	var list []ts
	for w, n := range tf {
		if len(w) < 4 {
			continue
		}
		s := float64(n) + 2*float64(df[w])
		if title[w] {
			s += 3
		}
		list = append(list, ts{w, s})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].s != list[j].s {
			return list[i].s > list[j].s
		}
		return list[i].t < list[j].t
	})
	var out []string
	for _, x := range list {
		if len(out) == max {
			break
		}
		if x.s < 3 {
			break
		}
		out = append(out, x.t)
	}
	return out
}

// hashtags are names and phrases as the text writes them, never stems or
// lone common words (a tag links to a topic page, and "#Show" or "#Injur"
// gathers nothing useful): the most salient entities first (at most five),
// then the story's recurring two-word phrases ("drone interception") not
// already covered by an entity.
func hashtags(ents []Entity, phrases []string, lower map[string]bool, max int) []string {
	var out []string
	covered := map[string]bool{}
	add := func(name string) bool {
		tag := hashtag(name)
		if len(tag) < 3 || len(tag) > 32 || covered[lowerASCII(tag)] || isNumeric(tag[1:]) {
			return false
		}
		covered[lowerASCII(tag)] = true
		out = append(out, tag)
		for _, w := range strings.Fields(lowerASCII(name)) {
			covered[w] = true
		}
		return true
	}
	for _, e := range ents {
		if len(out) == 5 {
			break
		}
		// a one-word name the text also writes in lower case is a common
		// word capitalised ("Day" of a holiday, "Country"), not a topic
		if !strings.Contains(e.Name, " ") && !isAcronym(e.Name) && lower[lowerASCII(e.Name)] {
			continue
		}
		if e.Count >= 2 || len(out) < 3 {
			add(e.Name)
		}
	}
	np := 0
	for _, p := range phrases {
		if len(out) >= max || np == 3 {
			break
		}
		a, b, _ := strings.Cut(p, " ")
		if covered[a] || covered[b] {
			continue
		}
		if add(p) {
			np++
		}
	}
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// genericModifiers make a two-word phrase about any story ("early
// morning", "second man", "known narcotics").
var genericModifiers = setOf(`early late second third fourth fifth first other another last next known same several
certain local young old new large small big little area nearby let long short high low good great best top main major minor recent
former following previous public whole entire full real possible likely multiple various different additional
further initial final current present general special particular common serious critical largest biggest smallest
highest lowest greatest worst best latest newest oldest`)

// ingNouns are -ing words that name things ("drive-by shooting"), unlike
// the participles that follow a noun in a clause ("man wearing").
var ingNouns = setOf(`shooting shootings stabbing bombing building wedding meeting hearing funding housing training
spending warming trafficking bullying lending banking mining fishing farming gambling boxing racing sentencing
screening testing rating ceiling offering filing ruling uprising landing crossing`)

// phraseOpeners come before a noun phrase.
var phraseOpeners = setOf(`a an the his her their its our this that with of for in on by from two three four five`)

// notNouns end no topic phrase: prepositions and adverbs outside the stop
// list, and common irregular past tenses ("shots rang", "man came").
var notNouns = setOf(`near inside outside away dead alive hours minutes later ago nearby overnight came went rang ran took
gave got left held saw fell drew hit put set stood found made began brought fought thought sent spent kept lost met paid
sat heard knew led told wore shot`)

// nounPhrase: a phrase that can name a topic: no verb in second place
// ("shots rang" is rare, "man wearing", "fire killed" common) and no
// modifier that fits any story.
func nounPhrase(a, b string) bool {
	if genericModifiers[a] || genericModifiers[b] || notNouns[b] || strings.ContainsAny(b, "'’") ||
		strings.ContainsAny(a, "'’") && !strings.HasSuffix(a, "'s") && !strings.HasSuffix(a, "’s") {
		return false
	}
	if strings.HasSuffix(b, "ed") || strings.HasSuffix(b, "ly") || strings.HasSuffix(a, "ly") {
		return false
	}
	if strings.HasSuffix(b, "ing") && !ingNouns[b] || strings.HasSuffix(a, "ing") && !ingNouns[a] && a != "acting" {
		return false
	}
	return true
}

// lowerWords is the set of words the story writes in lower case.
func lowerWords(docs []*doc) map[string]bool {
	m := map[string]bool{}
	for _, d := range docs {
		if d == nil {
			continue
		}
		for _, toks := range d.sentToks {
			for _, t := range toks {
				if r, _ := utf8.DecodeRuneInString(t.text); unicode.IsLower(r) {
					m[t.text] = true
				}
			}
		}
	}
	return m
}

// storyPhrases returns the two-word phrases of content words that recur in
// the story (at least twice), most frequent first, in their written (lower
// case) form. Capitalised words are left to the entities.
func storyPhrases(docs []*doc) []string {
	type ph struct {
		n, first int
	}
	m := map[string]*ph{}
	order := 0
	content := func(t token, initial bool) (string, bool) {
		if !initial && isCap(t.text) {
			return "", false
		}
		// a possessive stays as written ("sheriff's office" is #SheriffsOffice)
		w := lowerASCII(t.text)
		base, _ := stripPossessive(w)
		if len(base) < 3 || strings.ContainsAny(w, ".&") || stopwords[base] || text.IsNewsStop("en", base) || isNumeric(w) ||
			furniture[w] || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			return "", false
		}
		return w, true
	}
	for _, d := range docs {
		if d == nil {
			continue
		}
		for si, toks := range d.sentToks {
			if hasFurniture(d.sents[si].text) {
				continue
			}
			s := d.sents[si].text
			for i := 0; i+1 < len(toks); i++ {
				if s[toks[i].end:toks[i+1].start] != " " {
					continue
				}
				a, ok := content(toks[i], i == 0)
				if !ok {
					continue
				}
				b, ok := content(toks[i+1], false)
				if !ok || !nounPhrase(a, b) {
					continue
				}
				// "opened fire", "pleaded guilty": a participle starts a
				// noun phrase only after a determiner or preposition ("a loaded gun")
				if strings.HasSuffix(a, "ed") && (i == 0 || !phraseOpeners[lowerASCII(toks[i-1].text)]) {
					continue
				}
				k := a + " " + b
				p := m[k]
				if p == nil {
					p = &ph{first: order}
					order++
					m[k] = p
				}
				p.n++
			}
		}
	}
	var out []string
	for k, p := range m {
		if p.n >= 2 {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := m[out[i]], m[out[j]]
		if a.n != b.n {
			return a.n > b.n
		}
		return a.first < b.first
	})
	return out
}

// hashtag writes a name as one CamelCase tag: "Donald Trump" -> "#DonaldTrump", "U.S." -> "#US".
func hashtag(name string) string {
	var b strings.Builder
	b.WriteByte('#')
	up := true
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if up {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			up = false
		case r == '.' || r == '\'' || r == '’':
		default:
			up = true
		}
	}
	return b.String()
}
