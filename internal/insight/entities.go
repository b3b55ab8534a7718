package insight

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Entity is a person, organisation, place or named thing.
type Entity struct {
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`              // person, org, place, thing
	Aliases []string `json:"aliases,omitempty"` // other forms the text used ("Smith" for Jane Smith, "NFL")
	Count   int      `json:"-"`
}

// Entity kinds.
const (
	KindPerson = "person"
	KindOrg    = "org"
	KindPlace  = "place"
	KindThing  = "thing"
)

// mention is one occurrence of an entity in a text.
type mention struct {
	start, end int
	name       string
	kind       string
	sure       bool   // kind known from a title, gazetteer, keyword or speech verb
	initial    bool   // single word at the start of a sentence
	headline   bool   // found in a headline-like line (title case throughout)
	role       string // title the text gave a person ("judge")
	gaz        bool   // from the gazetteer
}

// doc is an analysed article text shared by the extractors.
type doc struct {
	text     string
	paras    []span
	sents    []span
	sentPara []int
	sentToks [][]token  // words of each sentence, split once
	content  [][]string // content words of each sentence, computed on first use
	mentions []mention  // resolved, sorted by start
	entities []Entity   // by salience
	kinds    map[string]string
	roles    map[string][]string // title word -> persons given it ("judge" -> Ian English)
	quoted   []qspan             // quotations, set while attributing them: names inside are never speakers
	// lastSpeaker is the last named speaker of each kind, kept while attributing
	// so "she said" / "they said" can go on with them
	lastSpeaker map[string]spoke
}

// Entities returns the entities of an article body, most mentioned first.
func Entities(text string) []Entity {
	return analyze(text).entities
}

// datelineRe matches "HAWTHORNE (CBSLA.com) — ", "KANSAS CITY, Mo. - ", "NEWBURGH >> " and "Kalamazoo — ".
var datelineRe = regexp.MustCompile(`^([A-Z][A-Z.'’]+(?: [A-Z][A-Z.'’]+)*|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})(?:, ([A-Z][A-Za-z.]+(?: [A-Z][a-z.]+)?))?\s*(?:\(([^)]{1,40})\))?\s*(?:[—–-]+|>>)\s`)

// isTitleCaseDateline: "Kalamazoo — " is already in its proper case; it must use an em dash.
func isTitleCaseDateline(city, rest string) bool {
	for _, r := range city {
		if unicode.IsLower(r) {
			return true
		}
	}
	return false
}

func analyze(text string) *doc {
	d := &doc{text: text, kinds: map[string]string{}, roles: map[string][]string{}}
	d.paras = paragraphs(text)
	for pi, p := range d.paras {
		for _, s := range sentences(p) {
			d.sents = append(d.sents, s)
			d.sentPara = append(d.sentPara, pi)
		}
	}
	// lower holds the words that occur both capitalised and in lower case, so a
	// sentence-initial "Police" can be told from a name; only capitalised words are asked about.
	asked := map[string]bool{}
	for _, s := range d.sents {
		toks := words(s.text)
		d.sentToks = append(d.sentToks, toks)
		for _, t := range toks {
			if isCap(t.text) {
				asked[lowerASCII(t.text)] = false
			}
		}
	}
	lower := map[string]bool{}
	for _, toks := range d.sentToks {
		for _, t := range toks {
			if _, ok := asked[t.text]; ok {
				lower[t.text] = true
			}
		}
	}
	raw := make([]mention, 0, len(d.sents)*3)
	skipFrom, skipUntil := 0, 0
	for pi := 0; pi < len(d.paras) && pi < 3; pi++ {
		p := d.paras[pi]
		m := datelineRe.FindStringSubmatchIndex(p.text)
		if m == nil {
			continue
		}
		city := p.text[m[2]:m[3]]
		if isTitleCaseDateline(city, "") {
			if !strings.ContainsAny(p.text[m[3]:m[1]], "—–") || m[4] >= 0 {
				continue
			}
		} else {
			city = titleCase(city)
		}
		if e, ok := lookupGaz(city); ok {
			raw = append(raw, mention{start: p.start + m[2], end: p.start + m[3], name: e.name, kind: e.kind, sure: true})
		} else {
			raw = append(raw, mention{start: p.start + m[2], end: p.start + m[3], name: city, kind: KindPlace, sure: true})
		}
		if m[4] >= 0 {
			if e, ok := lookupGaz(p.text[m[4]:m[5]]); ok {
				raw = append(raw, mention{start: p.start + m[4], end: p.start + m[5], name: e.name, kind: e.kind, sure: true})
			}
		}
		if m[6] >= 0 { // "(KTLA)", "(AP)"
			src := p.text[m[6]:m[7]]
			if e, ok := lookupGaz(src); ok {
				raw = append(raw, mention{start: p.start + m[6], end: p.start + m[7], name: e.name, kind: e.kind, sure: true})
			} else if isAcronym(src) && !isDomain(src) {
				raw = append(raw, mention{start: p.start + m[6], end: p.start + m[7], name: src, kind: KindOrg, sure: true})
			}
		}
		skipFrom, skipUntil = p.start, p.start+m[1]
		break
	}
	for i, s := range d.sents {
		raw = append(raw, sentenceMentions(text, s, d.sentToks[i], skipFrom, skipUntil, lower)...)
	}
	d.mentions = resolve(text, raw, lower)
	counts := map[string]int{}
	first := map[string]int{}
	aliases := map[string][]string{}
	for i, m := range d.mentions {
		if _, ok := first[m.name]; !ok {
			first[m.name] = i
		}
		counts[m.name]++
		if surface := aliasForm(text[m.start:m.end]); surface != "" && surface != m.name {
			aliases[m.name] = appendUniq(aliases[m.name], surface)
		}
		d.kinds[m.name] = m.kind
		if m.role != "" && m.kind == KindPerson {
			d.roles[m.role] = appendUniq(d.roles[m.role], m.name)
		}
	}
	for name, c := range counts {
		d.entities = append(d.entities, Entity{Name: name, Kind: d.kinds[name], Aliases: aliases[name], Count: c})
	}
	sort.Slice(d.entities, func(i, j int) bool {
		a, b := d.entities[i], d.entities[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return first[a.Name] < first[b.Name]
	})
	return d
}

func titleCase(s string) string {
	f := strings.Fields(lowerASCII(s))
	for i, w := range f {
		r, n := utf8.DecodeRuneInString(w)
		f[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(f, " ")
}

// contentWords returns the content words of each sentence, computing them once.
func (d *doc) contentWords() [][]string {
	if d.content == nil {
		d.content = make([][]string, len(d.sentToks))
		for i, t := range d.sentToks {
			d.content[i] = contentOf(t)
		}
	}
	return d.content
}

// capTok is a word of a capitalised run.
type capTok struct {
	token
	word    string // possessive stripped
	initial bool
	lw      string // word lower-cased, final period dropped
}

func newCapTok(t token, word string, initial bool) capTok {
	return capTok{t, word, initial, lowerASCII(strings.TrimSuffix(word, "."))}
}

// sentenceMentions finds capitalised runs in one sentence and turns them into mentions.
func sentenceMentions(text string, s span, toks []token, skipFrom, skipUntil int, lower map[string]bool) []mention {
	head := headlineLike(toks)
	var out []mention
	var run []capTok
	flush := func() {
		// numbers may sit inside a name ("Channel 2 Action News") but not start or end one,
		// except an ordinal street ("West 205th Street") or "Interstate 20"
		if _, ok := lookupRun(run); ok && len(run) > 1 {
			out = append(out, runMentions(run, s, text, lower)...)
			run = run[:0]
			return
		}
		for len(run) > 0 && startsDigit(run[0].word) && !(isOrdinal(run[0].word) && len(run) > 1) {
			run = run[1:]
		}
		for len(run) > 1 && startsDigit(run[len(run)-1].word) && !has(numberedName, run[len(run)-2].word) {
			run = run[:len(run)-1]
		}
		if len(run) > 0 {
			ms := runMentions(run, s, text, lower)
			for i := range ms {
				ms[i].headline = head
			}
			out = append(out, ms...)
		}
		run = run[:0]
	}
	allNumericSoFar := true
	skipNext := false // "the" of "of the" already in the run
	for i, t := range toks {
		abs := s.start + t.start
		if abs >= skipFrom && abs < skipUntil {
			continue // the dateline, handled already
		}
		w, poss := stripPossessive(t.text)
		lw := lowerASCII(strings.TrimSuffix(w, "."))
		initial := i == 0 || allNumericSoFar || isBoundaryBefore(s.text[:t.start])
		if !startsDigit(t.text) {
			allNumericSoFar = false
		}
		capital := (isCap(w) || lowerCamelName(w)) && !lowerHyphenSuffix(w) && !months[lw] && !weekdays[lw] && w != "I" && !isDomain(w) &&
			!furniture[lw] && !isContraction(w) && !isHandle(s.text, t.start) && !shouting(toks, i, s.text) &&
			!(allCapsLong(w) && !knownAllCaps(w)) && !isCode(s.text, t) && !plainAcronyms[w] && !isPartyTag(t.text)
		joinable := startsDigit(t.text) && len(run) > 0 || isOrdinal(t.text) && i+1 < len(toks) && isCap(toks[i+1].text)
		if len(run) > 0 && capital && (lw == "the" || lw == "this" || lw == "these") && !connectorWord(run[len(run)-1].lw) && !gazSpans(append(run, newCapTok(t, w, false)), len(run)) {
			flush() // "… U.S. The Times": a capitalised "The" starts a new name
		}
		if len(run) > 0 && (capital || joinable) {
			prev := run[len(run)-1]
			gap := s.text[prev.end:t.start]
			if strings.TrimSpace(gap) != "" {
				if gap == ". " && (utf8.RuneCountInString(prev.word) == 1 && isCap(prev.word) || has(abbreviations, prev.word)) {
					run[len(run)-1].word += "." // "W. Hopkins", "Lt. Vince Carter", "St. Bernard Hospital"
					run[len(run)-1].lw = lowerASCII(strings.TrimSuffix(run[len(run)-1].word, "."))
				} else {
					flush()
				}
			}
		}
		if joinable && !capital {
			run = append(run, newCapTok(t, t.text, initial))
			continue
		}
		if !capital {
			// connectors inside names: "Bank of America", "Secretary of State"
			if len(run) > 0 && ((lw == "of" || lw == "on" || lw == "for") && (runHasKeyword(run[len(run)-1:]) && lw == "of" || nameHeads[run[len(run)-1].lw] || gazJoin(run, toks, i)) ||
				(lw == "and" || lw == "&") && andInName(run, toks, i) || lw == "de" || lw == "van" || lw == "von" || lw == "del" || lw == "da" || lw == "bin" || lw == "al") &&
				i+1 < len(toks) && isCap(toks[i+1].text) && s.text[run[len(run)-1].end:t.start] == " " && s.text[t.end:toks[i+1].start] == " " {
				run = append(run, newCapTok(t, lw, false))
				continue
			}
			// "Proceedings of the Royal Society": "of the" after a name head
			if len(run) > 0 && lw == "of" && nameHeads[run[len(run)-1].lw] && i+2 < len(toks) && toks[i+1].text == "the" && isCap(toks[i+2].text) &&
				s.text[run[len(run)-1].end:t.start] == " " && s.text[t.end:toks[i+1].start] == " " && s.text[toks[i+1].end:toks[i+2].start] == " " {
				run = append(run, newCapTok(t, lw, false), newCapTok(toks[i+1], "the", false))
				skipNext = true
				continue
			}
			if skipNext && lw == "the" {
				skipNext = false
				continue
			}
			// "U.S.-made": the name before a lower-case hyphen suffix
			if h := strings.Index(t.text, "-"); h > 0 && isCap(t.text) && !has(demonyms, t.text[:h]) {
				if e, ok := lookupGaz(t.text[:h]); ok {
					flush()
					out = append(out, mention{start: abs, end: abs + h, name: e.name, kind: e.kind, sure: true, headline: head})
					continue
				}
			}
			flush()
			continue
		}
		word := w
		if poss && possessiveInName(toks, i) && !possessorIsName(run, w, toks, i) {
			word = t.text // "Sheriff's Department", "Children's Hospital" keep their possessive
		}
		run = append(run, newCapTok(t, word, initial))
		if poss && word == w {
			flush() // "CBS2's Kristine Lazar" is two names
		}
	}
	flush()
	return out
}

// possessiveInName: "Sheriff's Department", "Children's Medical Center": a
// possessive followed by capitalised words ending in an organisation keyword.
func possessiveInName(toks []token, i int) bool {
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
		if !isCap(toks[j].text) {
			return false
		}
		if has(orgKeywords, toks[j].text) {
			return true
		}
	}
	return false
}

// numberedName words take a number after them inside a name.
var numberedName = setOf(`channel interstate route highway station unit engine ward district precinct i- s&p stoxx ftse nikkei bill`)

func startsDigit(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsDigit(r)
}

// isOrdinal: "205th", "36th", "1st".
func isOrdinal(w string) bool {
	lw := lowerASCII(w)
	if !startsDigit(lw) {
		return false
	}
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasSuffix(lw, suf) && isNumeric(lw[:len(lw)-2]) {
			return true
		}
	}
	return false
}

// isContraction: "Can't", "I'm", "We're" start with a capital but are no names.
func isContraction(w string) bool {
	i := strings.LastIndexAny(w, "'’")
	if i <= 0 {
		return false
	}
	_, n := utf8.DecodeRuneInString(w[i:])
	suf := w[i+n:]
	switch suf {
	case "t", "T":
		return i > 0 && (w[i-1] == 'n' || w[i-1] == 'N')
	case "re", "ll", "ve", "m", "d", "RE", "LL", "VE", "M", "D":
		return true
	}
	return false
}

// isHandle: "@DeKalbCountyPD" or "#Hashtag".
func isHandle(s string, start int) bool {
	return start > 0 && (s[start-1] == '@' || s[start-1] == '#')
}

// shouting: an all-capital word next to another all-capital word that is no
// known name ("LOCK UP YOUR WEAPONS", "FREE APPS"), or an all-capital common word ("NEVER").
func shouting(toks []token, i int, s string) bool {
	w := toks[i].text
	if !isAllCapsWord(w) {
		return false
	}
	// "US" among lower-case words is the country, not the shouted pronoun
	if _, ok := gazetteer[w]; ok && isAcronym(w) && !allCapsNeighbour(toks, i) {
		return false
	}
	if has(stopwords, w) || has(commonWords, w) {
		return true
	}
	if _, ok := lookupGaz(w); ok {
		return false
	}
	near := func(j int) bool {
		if j < 0 || j >= len(toks) || !isAllCapsWord(toks[j].text) {
			return false
		}
		if _, ok := lookupGaz(toks[j].text); ok {
			return false
		}
		a, b := toks[min(i, j)], toks[max(i, j)]
		return strings.TrimSpace(s[a.end:b.start]) == ""
	}
	return near(i-1) || near(i+1)
}

// allCapsNeighbour: a word next to toks[i] is written in capitals too (a shouted line).
func allCapsNeighbour(toks []token, i int) bool {
	return i > 0 && isAllCapsWord(toks[i-1].text) || i+1 < len(toks) && isAllCapsWord(toks[i+1].text)
}

func isAllCapsWord(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 2
}

// headlineLike: most longer words capitalised, as in a headline pasted into the body.
func headlineLike(toks []token) bool {
	n, c := 0, 0
	for _, t := range toks {
		if len(t.text) < 4 || startsDigit(t.text) {
			continue
		}
		n++
		if isCap(t.text) {
			c++
		}
	}
	return n >= 5 && float64(c) >= 0.85*float64(n)
}

// lowerHyphenSuffix: "Russian-made", "U.S.-led" are modifiers, not names.
func lowerHyphenSuffix(w string) bool {
	h := strings.LastIndex(w, "-")
	if h < 0 || h == len(w)-1 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w[h+1:])
	return unicode.IsLower(r)
}

// runHasKeyword: a run may continue with "of" only after an organisation,
// place or title word ("Bank of", "City of", "Secretary of"), not after a person.
func runHasKeyword(run []capTok) bool {
	for _, t := range run {
		lw := t.lw
		if orgKeywords[lw] || placeKeywords[lw] || titleWords[lw] {
			return true
		}
	}
	return false
}

// andInName: "and" joins "Lahey Clinic and Medical Center" and "Department of
// Children and Families", not "Dick's Sporting Goods and Guadalajara".
func andInName(run []capTok, toks []token, i int) bool {
	hasOf, hasOrg := false, false
	for _, t := range run {
		hasOf = hasOf || t.word == "of" || t.word == "on"
		hasOrg = hasOrg || has(orgKeywords, t.word)
	}
	if gazJoin(run, toks, i) {
		return true // "Customs and Border Protection"
	}
	if !hasOrg {
		// "National Survey on Water Use and Quality": a name head continued by of/on goes on
		for k := 1; k < len(run); k++ {
			if (run[k].word == "of" || run[k].word == "on") && nameHeads[run[k-1].lw] {
				return true
			}
		}
		return false
	}
	if hasOf {
		return true
	}
	for j := i + 1; j < len(toks) && j <= i+3 && isCap(toks[j].text); j++ {
		if has(orgKeywords, toks[j].text) {
			return true
		}
	}
	return false
}

func isBoundaryBefore(before string) bool {
	b := strings.TrimRightFunc(before, unicode.IsSpace)
	if b == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(b)
	return isOpenQuote(r) || r == '"' || r == '\'' || r == '(' || r == ':' || r == '—' || r == '–' || r == '-' || r == ';' || r == '[' || r == '…'
}

func isDomain(w string) bool {
	if !strings.Contains(w, ".") && !strings.HasPrefix(w, "http") && !strings.HasPrefix(w, "HTTP") {
		return false
	}
	lw := lowerASCII(w)
	return strings.Contains(lw, ".com") || strings.Contains(lw, ".org") || strings.Contains(lw, ".net") || strings.HasPrefix(lw, "www.") || strings.Contains(lw, "http")
}

func allCapsLong(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 6
}

func knownAllCaps(w string) bool { _, ok := lookupGaz(w); return ok }

// runMentions turns one capitalised run into zero or more mentions: it drops
// leading common words, splits off a known name at the front, strips titles
// and classifies what is left.
func runMentions(run []capTok, s span, text string, lower map[string]bool) []mention {
	// trailing connectors cannot end a name
	for len(run) > 0 && !isCap(run[len(run)-1].text) && !startsDigit(run[len(run)-1].text) && !lowerCamelName(run[len(run)-1].text) {
		run = run[:len(run)-1]
	}
	// leading common words ("The", "In", "Still"), unless the whole run is a known name ("The Hague")
	for len(run) > 0 {
		if hasGazPrefix(run, 0) && !has(commonWords, run[0].word) || hasGazPrefix(run, 0) && len(run) > 1 && !hasGazPrefix(run[1:], 0) {
			break // "New York Post", "The Hague"
		}
		lw := run[0].lw
		if commonWords[lw] || (run[0].initial && (lower[lw] || plainWords[lw])) || !isCap(run[0].text) && !isOrdinal(run[0].text) && !lowerCamelName(run[0].text) {
			run = run[1:]
			continue
		}
		break
	}
	if len(run) > 2 && run[0].initial && !has(firstNames, run[0].word) && !hasGazPrefix(run, 0) && hasGazPrefix(run, 1) {
		run = run[1:]
	}
	if len(run) == 0 {
		return nil
	}
	mk := func(r []capTok, name, kind string, sure bool) mention {
		return mention{start: s.start + r[0].start, end: s.start + r[len(r)-1].end, name: name, kind: kind, sure: sure, initial: len(r) == 1 && r[0].initial}
	}
	// a known name, whole
	if e, ok := lookupRun(run); ok {
		m := mk(run, e.name, e.kind, true)
		m.gaz = true
		return []mention{m}
	}
	// a newspaper named after its place, before "Leader" can be read as a title
	if newspaperWords[run[len(run)-1].lw] && len(run) >= 3 && hasGazPrefix(run, 0) {
		return []mention{mk(run, joinRun(run), KindOrg, true)}
	}
	// title: person is what follows the last title; what precedes is a separate name
	if ti, tj := lastTitle(run); ti >= 0 {
		var out []mention
		if ti > 0 {
			before := run[:ti]
			// "South Dakota Conservation Officer": the known place, not "South Dakota Conservation"
			if _, ok := lookupGaz(joinRun(before)); !ok && len(before) > 1 {
				for n := min(gazMaxTokens, len(before)-1); n >= 1; n-- {
					if _, ok := lookupGaz(joinRun(before[:n])); ok && !hasKeyword(before[n:]) {
						before = before[:n]
						break
					}
				}
			}
			if _, ok := lookupGaz(joinRun(before)); ok || hasKeyword(before) || isAcronym(joinRun(before)) {
				out = append(out, runMentions(before, s, text, lower)...)
			}
		}
		rest := run[tj:]
		if len(rest) > 0 && !hasKeyword(rest) && !(len(rest) == 1 && isAcronym(rest[0].word)) {
			m := mk(rest, joinRun(rest), KindPerson, true)
			m.role = run[tj-1].lw
			out = append(out, m)
		}
		return out
	}
	// a name glued to a person after it: "Rangers Anna Holt", "Senate
	// Maria Cole": split before a given name that no given name or initial precedes
	for k := 1; k+1 < len(run) && k+3 >= len(run); k++ {
		if has(firstNames, run[k].word) && !has(firstNames, run[k-1].word) && !strings.HasSuffix(run[k-1].word, ".") && !gazSpans(run, k) &&
			run[k-1].lw != "of" && run[k-1].lw != "and" && run[k-1].lw != "&" && !titleWords[run[k-1].lw] && allCapTokens(run[k:]) {
			out := runMentions(run[:k], s, text, lower)
			m := mk(run[k:], joinRun(run[k:]), KindPerson, true)
			return append(out, m)
		}
	}
	// a known name at the front: "NATO Kurt Volker" (from "ambassador to NATO Kurt Volker")
	for n := min(gazMaxTokens, len(run)-1); n >= 1; n-- {
		if n == len(run)-1 && n < 3 {
			continue // "New York Post", "Los Angeles Lakers" stay whole
		}
		if e, ok := lookupGaz(joinRun(run[:n])); ok && !hasKeyword(run[n:]) && !has(thingKeywords, run[len(run)-1].word) && !has(numberedName, run[n].word) &&
			!newspaperWords[run[len(run)-1].lw] {
			m := mk(run[:n], e.name, e.kind, true)
			m.gaz = true
			out := []mention{m}
			return append(out, runMentions(run[n:], s, text, lower)...)
		}
	}
	name := joinRun(run)
	lw := lowerASCII(name)
	if demonyms[lw] || commonWords[lw] || genericAcronyms[name] || plainAcronyms[name] || moreDemonyms[lw] || demonymOfPlace(name) ||
		len(run) == 1 && run[0].initial && plainWords[lw] {
		return nil
	}
	last := run[len(run)-1].lw
	if (last == "century" || last == "centuries") && len(run) <= 2 {
		return nil // "12th Century"
	}
	if isAcronym(name) && spellsWordsBefore(text[:s.start+run[0].start], name) {
		return nil // "chronic wasting disease, or CWD"
	}
	switch {
	case newspaperWords[last] && len(run) >= 2 && hasGazPrefix(run, 0):
		return []mention{mk(run, name, KindOrg, true)} // "Tulsa World Leader"
	case (last == "dr" || last == "st") && len(run) > 1:
		return []mention{mk(run, name, KindPlace, true)}
	case orgKeywords[last]:
		if allGeneric(run) {
			return nil // "Police Department", "Sheriff's Office"
		}
		return []mention{mk(run, name, KindOrg, true)}
	case thingKeywords[last] && len(run) > 1:
		return []mention{mk(run, name, KindThing, true)}
	case placeKeywords[last] && len(run) > 1:
		if allGeneric(run) {
			return nil
		}
		return []mention{mk(run, name, KindPlace, true)}
	case isAcronym(name):
		return []mention{mk(run, name, KindOrg, false)}
	case len(run) == 1:
		if len(name) < 2 || isNumeric(name) {
			return nil
		}
		// "the Carter administration", "the Obama campaign"
		if e := s.start + run[0].end; leaderNoun(text[e:]) && !isAcronym(name) {
			return []mention{mk(run, name, KindPerson, true)}
		}
		return []mention{mk(run, name, KindThing, false)}
	case len(run) >= 3 && (last == "jr" || last == "sr" || last == "ii" || last == "iii"):
		return []mention{mk(run, name, KindPerson, true)} // "Norris Greenhouse Jr."
	case has(firstNames, run[0].word) && len(run) <= 4:
		return []mention{mk(run, name, KindPerson, true)}
	case len(run) <= 3 && personContext(text, s.start+run[0].start, s.start+run[len(run)-1].end):
		return []mention{mk(run, name, KindPerson, true)}
	}
	return []mention{mk(run, name, KindThing, false)}
}

// hasGazPrefix: the run from token i starts with a gazetteer name.
func hasGazPrefix(run []capTok, i int) bool {
	for n := min(gazMaxTokens, len(run)-i); n >= 1; n-- {
		if _, ok := lookupRun(run[i : i+n]); ok {
			return true
		}
	}
	return false
}

// lookupRun looks a run up in the gazetteer, without allocating for one plain word.
func lookupRun(run []capTok) (gazEntry, bool) {
	if len(run) == 1 && !isAcronym(run[0].word) && !strings.ContainsAny(run[0].word, ".'’") {
		e, ok := gazetteer[run[0].lw]
		if ok || run[0].lw == "the" {
			return e, ok
		}
		return gazEntry{}, false
	}
	return lookupGaz(joinRun(run))
}

func joinRun(run []capTok) string {
	if len(run) == 1 {
		return run[0].word
	}
	parts := make([]string, len(run))
	for i, t := range run {
		parts[i] = t.word
	}
	return strings.Join(parts, " ")
}

// lastTitle returns the token range [i, j) of the last title in the run, or -1.
func lastTitle(run []capTok) (int, int) {
	bi, bj := -1, -1
	for i := 0; i < len(run); i++ {
		lw := run[i].lw
		matched := 0
		for _, p := range titlePhrases {
			if len(p) <= len(run)-i && len(p) > matched {
				ok := true
				for k, pw := range p {
					if run[i+k].lw != strings.TrimSuffix(pw, ".") {
						ok = false
						break
					}
				}
				if ok {
					matched = len(p)
				}
			}
		}
		if matched == 0 && titleWords[lw] {
			matched = 1
		}
		if matched > 0 {
			bi, bj = i, i+matched
			i += matched - 1
		}
	}
	// "Rebecca Dr." and "Main St." are streets, not titles
	if bi == len(run)-1 && bi > 0 {
		if lw := run[bi].lw; lw == "dr" || lw == "st" {
			return -1, -1
		}
	}
	// a title at the very end with nothing after it names a role, not a person
	// ("Navarro County Sheriff"); a trailing keyword means an organisation
	// ("Bowers Memorial CME Church").
	if bi >= 0 && hasKeyword(run[bj:]) {
		return -1, -1
	}
	return bi, bj
}

func hasKeyword(run []capTok) bool {
	for _, t := range run {
		lw := t.lw
		if orgKeywords[lw] || (placeKeywords[lw] && lw != "st") {
			return true
		}
	}
	return false
}

// allGeneric: every word is a keyword, title or common word, so nothing names anything in particular.
func allGeneric(run []capTok) bool {
	for _, t := range run {
		w, _ := stripPossessive(t.word)
		lw := lowerASCII(strings.TrimSuffix(w, "."))
		if !(orgKeywords[lw] || titleWords[lw] || commonWords[lw] || lw == "of" || lw == "medical" || lw == "homicide" || lw == "national" || lw == "local" || lw == "state" || lw == "federal" || lw == "general") {
			return false
		}
	}
	return true
}

// resolve joins short forms to the full names seen in the same text
// ("Trump" -> "Donald Trump"), settles kinds, and drops weak single words.
func resolve(text string, raw []mention, lower map[string]bool) []mention {
	sort.SliceStable(raw, func(i, j int) bool { return raw[i].start < raw[j].start })
	// persons with at least two words, by their last and first words
	byLast := map[string][]string{}
	byFirst := map[string][]string{}
	full := map[string]bool{}
	for _, m := range raw {
		if m.kind != KindPerson && !(m.kind == KindThing && !m.sure) {
			continue // persons, and unknown two- or three-word names ("Tara Grinstead")
		}
		f := strings.Fields(m.name)
		if len(f) < 2 || full[m.name] {
			continue
		}
		full[m.name] = true
		last := surname(f)
		byLast[last] = appendUniq(byLast[last], m.name)
		byFirst[f[0]] = appendUniq(byFirst[f[0]], m.name)
	}
	speaksFull := map[string]bool{}
	// names that occur capitalised somewhere other than the start of a sentence
	midCap := map[string]bool{}
	for _, m := range raw {
		if !m.initial {
			midCap[m.name] = true
		}
	}
	var out []mention
	for _, m := range raw {
		f := strings.Fields(m.name)
		// "Peace Sherman Wilson" (from "Rest in Peace Sherman Wilson") is Sherman Wilson
		if len(f) >= 3 && !full[m.name] {
			for k := 1; k < len(f)-1; k++ {
				if tail := strings.Join(f[k:], " "); full[tail] {
					m.name, m.kind, m.sure = tail, KindPerson, true
					f = f[k:]
					break
				}
			}
		}
		if len(f) == 1 && m.kind == KindPerson {
			if c := byLast[m.name]; len(c) == 1 {
				m.name = c[0] // "Judge English" -> Ian English
			}
		}
		if m.kind != KindPerson || len(f) == 1 {
			if len(f) == 1 && !m.sure {
				if c := byLast[m.name]; len(c) == 1 {
					m.name, m.kind, m.sure = c[0], KindPerson, true
					if speechVerbAfter(text[m.end:]) {
						speaksFull[c[0]] = true
					}
				} else if c := byFirst[m.name]; len(c) == 1 && len(byLast[m.name]) == 0 {
					m.name, m.kind, m.sure = c[0], KindPerson, true
				} else if len(c) > 1 || len(byLast[m.name]) > 1 {
					continue // ambiguous short form: "Howard" with two Howards
				}
			}
		}
		// a two-word "person" such as "Mr Smith" already went through titles;
		// here a multi-word person whose last word names a longer person is that person.
		if m.kind == KindPerson && len(f) >= 2 && !full[m.name] {
			if c := byLast[surname(f)]; len(c) == 1 {
				m.name = c[0]
			}
		}
		if !strings.Contains(m.name, " ") && !m.sure {
			follows := text[m.end:]
			if speechVerbAfter(follows) && !lower[lowerASCII(m.name)] {
				m.kind, m.sure = KindPerson, true
			} else if m.initial && !midCap[m.name] && !isAcronym(m.name) {
				continue // sentence-initial word seen nowhere else capitalised
			} else if (prepBefore(text[:m.start]) || stateAfter(text[m.end:])) && m.kind == KindThing {
				m.kind = KindPlace
			}
		}
		if !strings.Contains(m.name, " ") && m.kind == KindPerson && !m.sure && lower[lowerASCII(m.name)] {
			continue
		}
		out = append(out, m)
	}
	// headline-like lines (menus, pasted headlines) only confirm names found elsewhere
	plain := map[string]bool{}
	for _, m := range out {
		if !m.headline {
			plain[m.name] = true
		}
	}
	kept0 := out[:0]
	for _, m := range out {
		if m.headline && !m.gaz && !plain[m.name] && !(m.kind == KindPerson && m.sure && has(firstNames, strings.Fields(m.name)[0])) {
			continue
		}
		kept0 = append(kept0, m)
	}
	out = kept0
	// "Clear Sky" stays a thing; "Travis Housley" is a person once "Housley says"
	speaks := map[string]bool{}
	for _, m := range raw {
		if !strings.Contains(m.name, " ") && speechVerbAfter(text[m.end:]) {
			speaks[m.name] = true
		}
	}
	for i, m := range out {
		if f := strings.Fields(m.name); m.kind == KindThing && !m.sure && len(f) >= 2 && len(f) <= 3 && speaks[surname(f)] {
			out[i].kind, out[i].sure = KindPerson, true
		}
	}
	// a lone unknown word counts only when it recurs ("Patriot" yes, "Cabinet" once no)
	n := map[string]int{}
	for _, m := range out {
		n[m.name]++
	}
	kept := out[:0]
	for _, m := range out {
		if m.kind == KindThing && !m.sure && !strings.Contains(m.name, " ") && n[m.name] < 2 && !innerCapital(m.name) {
			continue // an inner capital ("PayPal", "DoorDash") marks a coined name even once
		}
		kept = append(kept, m)
	}
	out = kept
	// a full name whose short form is a person is a person
	for i, m := range out {
		if m.kind == KindThing && !m.sure && full[m.name] {
			for _, o := range out {
				if o.name == m.name && o.kind == KindPerson {
					out[i].kind, out[i].sure = KindPerson, true
					break
				}
			}
		}
		_ = speaksFull
	}
	// one kind per name: a sure kind wins
	kind := map[string]string{}
	for _, m := range out {
		if m.sure || kind[m.name] == "" {
			if _, had := kind[m.name]; !had || m.sure {
				kind[m.name] = m.kind
			}
		}
	}
	for i := range out {
		out[i].kind = kind[out[i].name]
	}
	return out
}

func appendUniq(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// personContext: a name followed by a speech verb or an age ("Braison Howard, 3,").
func personContext(text string, start, end int) bool {
	if speechVerbAfter(text[end:]) || speechVerbBefore(text[:start]) {
		return true
	}
	rest := strings.TrimLeft(prefix(text[end:], 20), " ")
	if strings.HasPrefix(rest, ",") {
		t := words(rest)
		return len(t) > 0 && isNumeric(t[0].text) && len(t[0].text) <= 3 && strings.TrimSpace(rest[1:t[0].start]) == ""
	}
	return false
}

// prefix returns at most the first n bytes of s (possibly cutting a rune, which words ignores).
func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// speechVerbBefore: "said Edmund Karwowski".
func speechVerbBefore(s string) bool {
	t := strings.TrimRight(s, " ")
	i := strings.LastIndexAny(t, " \n\"”“,")
	return has(speechVerbs, t[i+1:])
}

// speechVerbAfter: the text continues with a speech verb ("Rutte said").
func speechVerbAfter(s string) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	j := i
	for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
		j++
	}
	if j == i || j-i > 12 {
		return false
	}
	return has(speechVerbs, s[i:j])
}

func prepBefore(s string) bool {
	s = strings.TrimRight(s, " ")
	i := strings.LastIndexByte(s, ' ')
	w := lowerASCII(s[i+1:])
	return w == "in" || w == "near" || w == "from" || w == "to" || w == "at" || w == "of"
}

// stateAfter: "Chubbuck, Idaho".
func stateAfter(s string) bool {
	if !strings.HasPrefix(s, ", ") {
		return false
	}
	t := words(prefix(s, 40))
	if len(t) == 0 {
		return false
	}
	name := t[0].text
	if len(t) > 1 && s[t[0].end:t[1].start] == " " && isCap(t[1].text) {
		if e, ok := lookupGaz(name + " " + t[1].text); ok && e.kind == KindPlace {
			return true
		}
	}
	e, ok := lookupGaz(name)
	return ok && e.kind == KindPlace
}

// nameHeads are nouns that head names continued by "of", "on" or "and"
// ("House of Representatives", "National Survey on Water Use and Quality",
// "Country Music Hall of Fame").
var nameHeads = setOf(`house hall survey notices institute institutes chamber academy society museum league bureau
commission committee council department court bank university college school center centre association federation
union board office ministry agency administration secretary conference order church cathedral republic kingdom
states islands bay gulf cape isle institute foundation fund program programme proceedings annals transactions`)

// plainAcronyms are capitalised abbreviations of common nouns, positions and
// periods that name no one: they also end a name ("Lions QB Sam Field").
var plainAcronyms = setOf(`VIP VIPs IPO IPOs PC PCs PE TD TDs WTF LOL OMG FAQ ASAP FYI RIP AKA TBD TBA HR PR MVP GDP
CFO COO CTO CMO CIO EVP SVP VP QB RB WR TE LB CB DL OL DB DE DT OT OG ET PT CT MT ERA RBI ATM ETF ETFs NFT NFTs
LLC AI API APIs USB LED LCD OLED HD HDR SSD GB TB MB KB GHz MHz mph kph EV EVs SUVs CEO CEOs MD PhD MBA BA MA MS MP3
Q1 Q2 Q3 Q4 H1 H2 FY YoY PM AM`)

// isCode: market codes and tickers are no names: ".FTSE", "JPY=", "VOD.L",
// "DE10YT=RR", "NGc1", "CMZN3".
func isCode(s string, t token) bool {
	w := t.text
	if t.start > 0 && s[t.start-1] == '.' && isAllCapsWord(w) {
		return true
	}
	if t.end < len(s) && s[t.end] == '=' || t.start > 0 && s[t.start-1] == '=' {
		return true
	}
	// "VOD.L": a ticker with its exchange letter
	if t.end+2 <= len(s) && s[t.end] == '.' && s[t.end+1] >= 'A' && s[t.end+1] <= 'Z' && (t.end+2 == len(s) || !unicode.IsLetter(rune(s[t.end+2]))) && isAllCapsWord(w) && t.start > 0 && s[t.start-1] == '(' {
		return true
	}
	if strings.HasSuffix(w, ".N") || strings.HasSuffix(w, ".O") || strings.HasSuffix(w, ".L") || strings.HasSuffix(w, ".T") {
		return isAllCapsWord(strings.TrimRight(w[:len(w)-2], "."))
	}
	digits, upper, lowerAfter := 0, 0, false
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'A' && r <= 'Z':
			upper++
		case r >= 'a' && r <= 'z':
			lowerAfter = lowerAfter || upper >= 2
		}
	}
	if digits == 0 {
		return false
	}
	if _, ok := lookupGaz(w); ok {
		return false
	}
	// "NGc1": capitals, then lower case, then digits; "DE10YT": digits between capitals
	if lowerAfter && upper >= 2 {
		return true
	}
	if upper >= 2 && digits >= 1 && len(w) >= 5 && !startsDigit(w) && w[len(w)-1] >= 'A' && w[len(w)-1] <= 'Z' {
		return true
	}
	// "CMZN3": four or more capitals and a single final digit
	return upper >= 4 && digits == 1 && w[len(w)-1] >= '0' && w[len(w)-1] <= '9'
}

// isPartyTag: "D-N.Y.", "R-Texas", "D-Ill.", "I-Vt." after a legislator's name.
func isPartyTag(w string) bool {
	if len(w) < 3 || w[1] != '-' {
		return false
	}
	switch w[0] {
	case 'D', 'R', 'I':
		r, _ := utf8.DecodeRuneInString(w[2:])
		return unicode.IsUpper(r)
	}
	return false
}

// possessorIsName: the words before a possessive already name something
// ("Kerr's Orbit Holdings", "NASA's Ames Research Center", "Acme
// Media's Film Unit"), so the possessive splits two names; "Sheriff's
// Department" and "Children's Hospital" keep it.
func possessorIsName(run []capTok, w string, toks []token, i int) bool {
	lw := lowerASCII(w)
	if titleWords[lw] || commonWords[lw] || plainWords[lw] {
		return false
	}
	if len(run) > 0 {
		return run[0].lw != "st" && run[0].lw != "saint" // "St. Mary's Hospital"
	}
	// a single unknown possessor before a name of two or more words
	n := 0
	for j := i + 1; j < len(toks) && isCap(toks[j].text); j++ {
		n++
	}
	if n >= 2 {
		return true
	}
	if _, ok := lookupGaz(w); ok {
		return true
	}
	return isAcronym(w) || has(firstNames, w)
}

func joinTokens(toks []token) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.text
	}
	return strings.Join(parts, " ")
}

// demonymOfPlace: "Kenyan", "North Dakotans", "Brazilians" are people of a
// known place, not names.
func demonymOfPlace(name string) bool {
	for _, suf := range []string{"ians", "ian", "ans", "an", "ns", "n", "ese", "is", "i"} {
		if !strings.HasSuffix(name, suf) || len(name) <= len(suf)+2 {
			continue
		}
		base := name[:len(name)-len(suf)]
		for _, b := range []string{base, base + "a", base + "o", base + "e"} {
			if e, ok := lookupGaz(b); ok && e.kind == KindPlace && e.name != name {
				return true
			}
		}
	}
	return false
}

// plainWords are common English words that a capital letter at the start of a
// sentence or heading does not make a name ("Because Smith", "Analysts
// expect", "Country music").
var plainWords = setOf(`because getting get gets got see seen look looks looking rival rivals employee employees executive executives
veteran veterans analyst analysts country countries less more much many few job jobs money meanwhile besides
despite following including given whether once unlike like amid among against toward towards across along
around inside outside within beyond near nearly almost about above after before again always never sometimes
often perhaps maybe instead otherwise therefore thus hence still yet even just only also too very really quite
rather already soon later earlier recent recently currently previously finally eventually initially overall
together apart ahead back away down up off out over under while though although unless until since whatever
whenever wherever whoever however why what which who whom whose where when how this that these those such some
any every each either neither both all none nothing something anything everything someone anyone everyone
nobody somebody anybody everybody other others another bad report reports reporter reporters story stories
video photo photos image images caption source sources official officials expert experts critics supporters
fans voters users customers investors traders shareholders students teachers parents kids workers staff
members leaders lawmakers legislators residents citizens viewers readers listeners players coaches firm firms
stock stocks shares share price prices sales revenue profit profits earnings growth economy man woman men
women boy girl child children friend friends room today tonight yesterday tomorrow week weeks month months
year years day days time times morning evening night update updates breaking exclusive opinion editorial
analysis review reviews feature features sponsored advertisement subscribe subscription sign log login
register privacy terms cookies contact share tweet email print comment comments reply related trending popular
latest more read watch listen follow click here there yes no not please thanks thank welcome hello hi dear
sorry oh wow well ok okay let lets let's do does did done doing make makes made making take takes took taken
taking give gives gave given giving keep keeps kept come comes came going go goes went gone think thinks
thought know knows knew known want wants wanted need needs needed use uses used using try tries tried find
finds found tell tells told call calls called work works worked working start starts started stop stops
stopped help helps helped show shows showed shown play plays played run runs ran turn turns turned move moves
moved lives lived believe believes believed bring brings brought happen happens happened write writes wrote
sit sits sat stand stands stood lose loses lost pay pays paid meet meets met include includes included
continue continues continued set sets learn learns learned change changes changed lead leads led understand
understands understood watch watches watched follow follows followed create creates created speak speaks spoke
read reads allow allows allowed add adds added spend spends spent grow grows grew opens opened walk walks
walked win wins won offer offers offered remember remembers remembered love loves loved consider considers
considered appear appears appeared buy buys bought wait waits waited serve serves served die dies died send
sends sent expect expects expected build builds built stay stays stayed fall falls fell cut cuts reach reaches
reached kill kills killed remain remains remained suggest suggests suggested raise raises raised pass passes
passed sell sells sold require requires required decide decides decided pull pulls pulled here's there's it's
that's what's who's let's breaking exclusive watch`)

// moreDemonyms name groups of people, not entities.
var moreDemonyms = setOf(`nazi nazis jew jews sunni sunnis shia shiite shiites hindu hindus sikh sikhs buddhist buddhists
latinos latinas asians africans europeans`)

// allCapTokens: every token of the run starts with a capital letter.
func allCapTokens(run []capTok) bool {
	for _, t := range run {
		if !isCap(t.text) {
			return false
		}
	}
	return true
}

// gazJoin: the run, the connector at toks[i] and the capitalised words after
// it form a known name ("Customs" + "and" + "Border Protection").
func gazJoin(run []capTok, toks []token, i int) bool {
	base := joinRun(run) + " " + toks[i].text
	for j := i + 1; j < len(toks) && j <= i+5; j++ {
		w, _ := stripPossessive(toks[j].text)
		if !isCap(w) && w != "of" && w != "and" && w != "the" && w != "on" {
			return false
		}
		base += " " + w
		if _, ok := lookupGaz(base); ok {
			return true
		}
	}
	return false
}

// gazSpans: a known name starts at the run's head and reaches token k
// ("San Diego Union" is not "San" + a person "Diego Union").
func gazSpans(run []capTok, k int) bool {
	for n := k + 1; n <= len(run) && n <= gazMaxTokens; n++ {
		if _, ok := lookupRun(run[:n]); ok {
			return true
		}
	}
	return false
}

// leaderNoun: the text goes on with a noun a leader's surname qualifies.
func leaderNoun(rest string) bool {
	t := words(prefix(rest, 30))
	if len(t) == 0 || strings.TrimSpace(rest[:t[0].start]) != "" {
		return false
	}
	switch lowerASCII(t[0].text) {
	case "administration", "presidency", "campaign", "government", "cabinet", "era":
		return true
	}
	return false
}

// aliasForm is a mention's surface text as an alias: possessive and
// surrounding punctuation dropped, spaces collapsed; empty when it is not a usable form.
func aliasForm(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s, _ = stripPossessive(s)
	s = strings.Trim(s, " ,;:")
	if s == "" || len(s) > 80 {
		return ""
	}
	return s
}

// extraTitleWords are job and honorific words that precede a name and are no part of it.
const extraTitleWords = `executive founder co-founder cofounder economist analyst strategist scientist researcher
astronaut quarterback goalie goaltender defenseman winger striker midfielder goalkeeper pitcher linebacker
actor actress singer rapper producer author novelist journalist columnist editor photographer designer architect
engineer physician nurse surgeon epidemiologist hon honourable honorable rt dame sir lord lady`

func init() {
	for _, w := range strings.Fields(extraTitleWords) {
		titleWords[w] = true
	}
}

// surname is the last word of a full name, before a generational suffix
// ("King" in "Martin Luther King Jr.").
func surname(f []string) string {
	last := f[len(f)-1]
	if len(f) > 2 {
		switch strings.TrimSuffix(lowerASCII(last), ".") {
		case "jr", "sr", "ii", "iii", "iv":
			return strings.TrimSuffix(f[len(f)-2], ",")
		}
	}
	return last
}

// lowerCamelName: product names written "iPad", "iMac", "eBay".
func lowerCamelName(w string) bool {
	if len(w) < 3 || (w[0] != 'i' && w[0] != 'e') {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w[1:])
	return unicode.IsUpper(r)
}

// newspaperWords end newspaper titles after a place ("Baltimore Sun",
// "Tulsa World Leader", "Boston Globe").
var newspaperWords = setOf(`leader chronicle star sun examiner inquirer globe register courier dispatch observer bee record
sentinel ledger daily review independent telegraph democrat republic plain dealer enquirer advocate`)

// spellsWordsBefore: the lower-case words just before an acronym spell it
// ("chronic wasting disease, or CWD"), so it abbreviates a common noun.
func spellsWordsBefore(before, acr string) bool {
	letters := strings.ToLower(strings.ReplaceAll(acr, ".", ""))
	t := words(prefix(before[max(0, len(before)-120):], 120))
	var ws []string
	for i := len(t) - 1; i >= 0 && len(ws) < len(letters)+2; i-- {
		lw := t[i].text
		if lw == "or" || lw == "the" || lw == "a" || lw == "an" || lw == "of" || lw == "and" {
			continue
		}
		if isCap(lw) {
			return false
		}
		ws = append([]string{lw}, ws...)
		if len(ws) == len(letters) {
			var b strings.Builder
			for _, w := range ws {
				b.WriteByte(w[0])
			}
			if b.String() == letters {
				return true
			}
		}
	}
	return false
}

// connectorWord: "of", "and", "for" join title-case names ("Player Of The Year").
func connectorWord(lw string) bool { return lw == "of" || lw == "and" || lw == "for" || lw == "&" }

// innerCapital: a word with a capital letter after lower-case ones ("DoorDash", "McDonald").
func innerCapital(w string) bool {
	seenLower := false
	for _, r := range w {
		switch {
		case unicode.IsLower(r):
			seenLower = true
		case unicode.IsUpper(r) && seenLower:
			return true
		case !unicode.IsLetter(r):
			return false
		}
	}
	return false
}
