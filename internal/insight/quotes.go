package insight

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote is a direct quotation. Speaker is the named person or organisation
// that said it, or empty when the text does not name one; SpeakerDesc then
// holds how the text describes the speaker ("one senior U.S. official"), if it does.
type Quote struct {
	Text        string   `json:"text"`
	Speaker     string   `json:"speaker"`
	SpeakerDesc string   `json:"speaker_desc,omitempty"`
	Outlets     []string `json:"outlets,omitempty"`
}

// Quotes returns the direct quotations of one article body with their speakers.
func Quotes(text string) []Quote {
	return analyze(text).quotes()
}

// qspan is a quotation found in the text: content offsets, and the offsets
// of the marks around it (closeAt == end of paragraph when it runs on).
type qspan struct {
	openAt, start, end, closeAt int
	para                        int // paragraph of the opening mark
	endPara                     int // paragraph of the closing mark
	text                        string
	closed                      bool // closing mark found (inner punctuation check)
}

// findQuotes scans paragraphs for quoted spans. Double marks take priority;
// single marks count only outside double-quoted text. A paragraph that opens
// a quote without closing it continues into the next paragraph when that
// paragraph opens with a quotation mark (the typesetting convention).
func (d *doc) findQuotes() []qspan {
	var out []qspan
	var carry *qspan
	for pi, p := range d.paras {
		qs := scanParagraph(p)
		for i := range qs {
			qs[i].para, qs[i].endPara = pi, pi
		}
		if carry != nil {
			// the run-on quotation may open mid-paragraph ("…,” said X. “We have …")
			if len(qs) > 0 && qs[0].openAt == p.start {
				qs[0].openAt = carry.openAt
				qs[0].text = carry.text + " " + qs[0].text
				qs[0].start = carry.start
				qs[0].para = carry.para
			} else if carry.openAt == d.paras[carry.para].start {
				out = append(out, *carry) // a whole paragraph of quotation left open
			}
			carry = nil
		}
		if n := len(qs); n > 0 && !qs[n-1].closed {
			c := qs[n-1]
			carry = &c
			qs = qs[:n-1]
		}
		out = append(out, qs...)
	}
	// the text ends inside a quotation: an excerpt cut off mid-quote
	if carry != nil {
		out = append(out, *carry)
	}
	return out
}

func scanParagraph(p span) []qspan {
	s := p.text
	var out []qspan
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		var closer func(j int) (int, int) // returns closing mark offset and width, or -1
		switch {
		case r == '“' || r == '„' || r == '«':
			closer = func(j int) (int, int) {
				for k := j; k < len(s); {
					c, w := utf8.DecodeRuneInString(s[k:])
					if c == '”' || c == '»' || (c == '"' && r != '«') {
						return k, w
					}
					if c == '“' { // a new opening before a close: the first ran on
						return -1, 0
					}
					k += w
				}
				return -1, 0
			}
		case r == '"' && (openContext(s, i, n) || afterPunct(s, i, n)):
			closer = func(j int) (int, int) {
				k := strings.IndexByte(s[j:], '"')
				if k < 0 {
					return -1, 0
				}
				return j + k, 1
			}
		case (r == '‘' || r == '\'') && openContext(s, i, n) && singleOpenOK(s, i+n):
			closer = func(j int) (int, int) {
				for k := j; k < len(s); {
					c, w := utf8.DecodeRuneInString(s[k:])
					if (c == '’' || c == '\'') && singleCloseOK(s, k, w) {
						return k, w
					}
					if c == '"' || c == '“' {
						return -1, 0
					}
					k += w
				}
				return -1, 0
			}
		}
		if closer == nil {
			i += n
			continue
		}
		ck, cw := closer(i + n)
		if ck < 0 {
			if r == '\'' || r == '‘' {
				// an apostrophe that looked like an opening mark ('90s)
				if !strings.ContainsAny(s[i+n:], "'’") {
					i += n
					continue
				}
				i += n
				continue
			}
			out = append(out, qspan{openAt: p.start + i, start: p.start + i + n, end: p.start + len(s), closeAt: p.start + len(s), text: strings.TrimSpace(s[i+n:])})
			break
		}
		out = append(out, qspan{openAt: p.start + i, start: p.start + i + n, end: p.start + ck, closeAt: p.start + ck + cw, text: strings.TrimSpace(s[i+n : ck]), closed: true})
		i = ck + cw
	}
	return out
}

// afterPunct: a straight double mark right after sentence punctuation opens a
// quotation when a word follows ("handgun."It appears"): the space went missing.
func afterPunct(s string, i, n int) bool {
	if i == 0 || i+n >= len(s) {
		return false
	}
	pr, _ := utf8.DecodeLastRuneInString(s[:i])
	nr, _ := utf8.DecodeRuneInString(s[i+n:])
	return (pr == '.' || pr == ',' || pr == ';' || pr == ':' || pr == '?' || pr == '!') && unicode.IsUpper(nr)
}

// openContext: an opening mark stands at the start or after a space, bracket or dash, and is followed by a non-space.
func openContext(s string, i, n int) bool {
	if i+n >= len(s) {
		return false
	}
	nr, _ := utf8.DecodeRuneInString(s[i+n:])
	if unicode.IsSpace(nr) {
		return false
	}
	if i == 0 {
		return true
	}
	pr, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsSpace(pr) || pr == '(' || pr == '[' || pr == '—' || pr == '–' || pr == '-' || pr == ':' || pr == '/' || pr == '"' || pr == '“'
}

// singleOpenOK: a single opening mark is followed by a letter, digit or ellipsis, and is not "'90s" or "'em".
func singleOpenOK(s string, j int) bool {
	r, _ := utf8.DecodeRuneInString(s[j:])
	if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '…' || r == '.') {
		return false
	}
	w := s[j:]
	if k := strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }); k >= 0 {
		w = w[:k]
	}
	lw := lowerASCII(w)
	return !(lw == "em" || lw == "til" || lw == "cause" || lw == "n" || (len(lw) == 3 && lw[2] == 's' && unicode.IsDigit(r)))
}

// singleCloseOK: a single closing mark follows a non-space and is not followed by a letter
// (so "Trump's" is an apostrophe); "countries' stocks" (s' then a lower-case word) is a possessive.
func singleCloseOK(s string, k, w int) bool {
	if k == 0 {
		return false
	}
	pr, _ := utf8.DecodeLastRuneInString(s[:k])
	if unicode.IsSpace(pr) {
		return false
	}
	if k+w < len(s) {
		nr, _ := utf8.DecodeRuneInString(s[k+w:])
		if unicode.IsLetter(nr) || unicode.IsDigit(nr) {
			return false
		}
		if pr == 's' && nr == ' ' {
			rest := s[k+w+1:]
			r2, _ := utf8.DecodeRuneInString(rest)
			if unicode.IsLower(r2) {
				return false
			}
		}
	}
	return true
}

// minQuoteWords is the shortest quoted span counted as a quotation.
const minQuoteWords = 4

// quoteWordCount counts words in a quotation.
func quoteWordCount(s string) int { return len(words(s)) }

// quotes finds the quotations of the document and attributes them.
func (d *doc) quotes() []Quote {
	d.lastSpeaker = map[string]spoke{}
	spans := d.findQuotes()
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	d.quoted = spans
	var out []Quote
	prevSpeaker := map[int]attrib{} // last attribution per paragraph
	var lastPara = -1
	var lastAttr attrib
	for qi, q := range spans {
		n := quoteWordCount(q.text)
		if n == 0 {
			continue
		}
		a := d.attribute(q, spans, qi)
		if !a.found {
			if pa, ok := prevSpeaker[q.para]; ok {
				a = pa // "...,” Lopez said. “It does not appear..."
			} else if d.paraIsQuote(q.para) && q.para > 0 {
				if d.introduces(q.para - 1) {
					// "Trooper Robert Hicks released the following statement:"
					a = d.introducer(q.para - 1)
				} else if lastPara == q.para-1 && lastAttr.name != "" && d.wholeParaQuote(q) {
					// a paragraph that is all quotation goes on with the speaker of the one before
					a = lastAttr
				}
			}
		}
		// remembered before short fragments are dropped: "“Great,” X said.
		// “We are proud of the team …”" goes on with X
		if a.found {
			prevSpeaker[q.para] = a
			lastPara, lastAttr = q.para, a
			if a.name != "" {
				// persons go on as he/she; any other named speaker as they/it
				kind := KindOrg
				if k := d.kinds[a.name]; k == KindPerson || k == "" && strings.Contains(a.name, " ") {
					kind = KindPerson
				}
				d.lastSpeaker[kind] = spoke{a.name, q.para}
			}
		}
		// fragments under four words are scare quotes, titles or snippets
		// ("family gathering", "within days"), not quotations.
		if n < minQuoteWords {
			continue
		}
		out = append(out, Quote{Text: cleanQuote(q.text), Speaker: a.name, SpeakerDesc: a.desc})
	}
	return out
}

func endsInnerPunct(s string) bool {
	s = strings.TrimSpace(s)
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == ',' || r == '.' || r == '!' || r == '?' || r == '…'
}

// cleanQuote trims the trailing comma a quotation carries before its attribution.
func cleanQuote(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, ", ")
	return s
}

// paraIsQuote: the paragraph starts with a quotation mark.
func (d *doc) paraIsQuote(pi int) bool {
	r, _ := utf8.DecodeRuneInString(d.paras[pi].text)
	return r == '“' || r == '"' || r == '‘' || r == '\''
}

// introduces: the paragraph ends with a colon or an attributed quotation, so the next
// unattributed quotation paragraph is the same speaker going on.
func (d *doc) introduces(pi int) bool {
	t := strings.TrimSpace(d.paras[pi].text)
	return strings.HasSuffix(t, ":")
}

// introducer: the speaker a colon-ended paragraph introduces: the person it names first.
func (d *doc) introducer(pi int) attrib {
	p := d.paras[pi]
	if a := d.beforeAttribution(p.start, p.end, nil); a.found {
		return a
	}
	for _, m := range d.mentionsIn(p.start, p.end) {
		if m.end <= p.end && m.kind == KindPerson {
			return attrib{name: m.name, found: true}
		}
	}
	return attrib{}
}

// wholeParaQuote: the quotation fills its paragraphs: it opens its first one
// and closes at the end of its last one (a quotation run over several
// paragraphs closes in a later paragraph than it opens).
func (d *doc) wholeParaQuote(q qspan) bool {
	first, last := d.paras[q.para], d.paras[q.endPara]
	if q.closeAt > last.end || q.closeAt < first.start {
		return false
	}
	return q.openAt == first.start && strings.TrimSpace(d.text[q.closeAt:last.end]) == ""
}

// attrib is who said a quotation.
type attrib struct {
	name     string
	desc     string
	found    bool
	adjacent bool // the attribution touches the quotation
}

// attribute finds the speaker of quotation q: first right after it
// ("…,” Lopez said / said Lopez / according to), then before it in the same
// sentence ("Rubio said Friday that '…'"), then "according to" anywhere in the sentence.
func (d *doc) attribute(q qspan, all []qspan, qi int) attrib {
	p := d.paras[q.para]
	// before: from the start of the sentence holding the opening mark
	bStart := p.start
	if si := d.sentenceAt(q.openAt); si >= 0 && q.openAt < d.sents[si].end {
		bStart = d.sents[si].start
	}
	// "he said, “…,” the office said": a speech verb right before the opening
	// mark names the speaker; the attribution after it names who reported it
	if speechVerbLeadIn(d.text[bStart:q.openAt]) {
		if a := d.beforeAttribution(bStart, q.openAt, all); a.found && a.name != "" {
			return a
		}
	}
	// after: up to the next opening quote or sentence end
	aEnd := d.paras[q.endPara].end
	if qi+1 < len(all) && all[qi+1].para == q.endPara {
		aEnd = min(aEnd, all[qi+1].openAt)
	}
	if e := sentenceEndAfter(d.text, q.closeAt, aEnd); e >= 0 {
		aEnd = e
	}
	if q.closeAt < aEnd {
		if a := d.afterAttribution(q.closeAt, aEnd); a.found {
			a.adjacent = true
			return a
		}
	}
	if a := d.beforeAttribution(bStart, q.openAt, all); a.found {
		return a
	}
	return attrib{}
}

// speechVerbLeadIn: the text before an opening mark ends in a speech verb
// and at most a comma or colon ("he said, “", "Smith added: “").
func speechVerbLeadIn(before string) bool {
	t := strings.TrimRight(before, " ,:")
	if len(t) == len(before) {
		return false // no space or punctuation between the verb and the mark
	}
	i := strings.LastIndexAny(t, " \n\"”“,")
	return has(speechVerbs, t[i+1:])
}

// sentenceEndAfter finds the first sentence-ending mark in text[from:to], or -1.
func sentenceEndAfter(text string, from, to int) int {
	for i := from; i < to; {
		r, n := utf8.DecodeRuneInString(text[i:])
		if (r == '.' || r == '!' || r == '?' || r == ';') && !(r == '.' && isAbbrevBefore(text[from:i])) {
			if i+n >= to {
				return i
			}
			nr, _ := utf8.DecodeRuneInString(text[i+n:])
			if unicode.IsSpace(nr) || isCloseQuote(nr) {
				return i
			}
		}
		i += n
	}
	return -1
}

var stopAfterSpeaker = setOf(`in on at during after while when who whose which because that as before via with from to
late early earlier later this last on monday tuesday wednesday thursday friday saturday sunday yesterday today tonight
and but of`)

var clauseWords = setOf(`where when which that who whom whose while because if as and but or so since although though
after before until unless whether what how why to for with in on at from by of than`)

var timeWords = setOf(`monday tuesday wednesday thursday friday saturday sunday yesterday today tonight recently earlier
later again also then afterward afterwards previously`)

// afterAttribution parses text after a closing mark: "said X" / "X said" / "according to X".
func (d *doc) afterAttribution(from, to int) attrib {
	seg := d.text[from:to]
	toks := words(seg)
	if len(toks) == 0 {
		return attrib{}
	}
	lead := strings.TrimSpace(seg[:toks[0].start])
	if strings.ContainsAny(lead, ".!?;") {
		return attrib{}
	}
	first := lowerASCII(toks[0].text)
	if first == "according" && len(toks) > 1 && lowerASCII(toks[1].text) == "to" {
		return d.phrase(from+toks[1].end, from+phraseEnd(seg, toks, 2, false))
	}
	if speechVerbs[first] {
		i := 1
		for i < len(toks) && has(timeWords, toks[i].text) {
			i++
		}
		if i >= len(toks) {
			return attrib{}
		}
		a := d.phrase(from+toks[i].start, from+phraseEnd(seg, toks, i, true))
		if a.name == "" {
			// "said research director of the institute Maya Lind": the
			// description runs on to the name
			if m := d.personInClause(from+toks[i].start, to); m != "" {
				return attrib{name: m, found: true}
			}
		}
		if !a.found {
			// "added on Friday, said X"
			return d.subjectOfLaterVerb(from, seg, toks)
		}
		return a
	}
	// "X said": X may not cross a comma or run long, nor open a clause ("where violence has been reported")
	if clauseWords[first] {
		return d.subjectOfLaterVerb(from, seg, toks)
	}
	for v := 1; v < len(toks) && v <= 10; v++ {
		if strings.ContainsAny(seg[toks[v-1].end:toks[v].start], ",;:()—") && !isAppositiveAge(seg, toks, v) {
			return d.subjectOfLaterVerb(from, seg, toks)
		}
		lv := lowerASCII(toks[v].text)
		if speechVerbs[lv] || (lv == "put" && v+1 < len(toks) && lowerASCII(toks[v+1].text) == "it") {
			return d.phrase(from+toks[0].start, from+toks[v-1].end)
		}
		// auxiliary before a verb: "Lopez has said", "she would later say"
		if lv == "has" || lv == "had" || lv == "have" || lv == "would" || lv == "later" || lv == "also" || lv == "then" || lv == "previously" {
			continue
		}
	}
	return d.subjectOfLaterVerb(from, seg, toks)
}

// subjectOfLaterVerb finds the speaker when the attribution after a quotation
// is not a plain "X said": "X, the U.S. attorney for …, said", "founder, owner
// and chief executive X said", "… and hurts every town, X said", "added on
// Friday, said X". Only a recognised name counts: a person or
// organisation mention that opens the segment and is followed by an
// appositive, that stands right before the verb, or that follows it.
func (d *doc) subjectOfLaterVerb(from int, seg string, toks []token) attrib {
	for v := 0; v < len(toks) && v <= 40; v++ {
		if !has(speechVerbs, toks[v].text) {
			continue
		}
		e := v
		for e > 0 && has(auxWords, toks[e-1].text) {
			e--
		}
		vStart := from + toks[v].start
		var opening, adjacent, following *mention
		near := d.mentionsIn(from, from+len(seg))
		for i := range near {
			m := &near[i]
			if m.kind != KindPerson && m.kind != KindOrg {
				continue
			}
			switch {
			case e > 0 && m.start >= from && m.end == from+toks[e-1].end:
				adjacent = m
			case m.start >= from && m.end < vStart && strings.HasPrefix(strings.TrimSpace(d.text[m.end:vStart]), ",") && titlesOnly(d.text[from:m.start]):
				opening = m
			case v+1 < len(toks) && m.start == from+toks[v+1].start:
				following = m
			}
		}
		for _, m := range []*mention{adjacent, opening, following} {
			if m != nil {
				return attrib{name: m.name, found: true}
			}
		}
		// an unrecognised short capitalised name right before the verb ("Kim Jae-won said")
		if e > 0 {
			k := e - 1
			for k > 0 && e-k < 3 && isCap(toks[k-1].text) && !strings.ContainsAny(seg[toks[k-1].end:toks[k].start], ",;:()—–") {
				k--
			}
			if e-k >= 2 && allNameWords(toks[k:e]) && (k == 0 || strings.ContainsAny(seg[toks[k-1].end:toks[k].start], ",;")) {
				return attrib{name: seg[toks[k].start:toks[e-1].end], found: true}
			}
		}
	}
	return attrib{}
}

// allNameWords: every token is capitalised and none is a common word or title.
func allNameWords(toks []token) bool {
	for _, t := range toks {
		if !isCap(t.text) || has(commonWords, t.text) || has(titleWords, t.text) || has(furniture, t.text) {
			return false
		}
	}
	return len(toks) > 0
}

// isAppositiveAge allows "Smith, 45, said".
func isAppositiveAge(seg string, toks []token, v int) bool {
	return isNumeric(toks[v].text) || (v >= 1 && isNumeric(toks[v-1].text))
}

// phraseEnd returns where a speaker phrase starting at token i ends: at punctuation or a clause word.
func phraseEnd(seg string, toks []token, i int, stopWords bool) int {
	end := toks[i].end
	for j := i + 1; j < len(toks); j++ {
		gap := seg[toks[j-1].end:toks[j].start]
		if strings.ContainsAny(gap, ",;:()—–") {
			break
		}
		lw := lowerASCII(toks[j].text)
		if stopWords && stopAfterSpeaker[lw] && !(lw == "of" && j+1 < len(toks) && isCap(toks[j+1].text) && isCap(toks[j-1].text)) {
			break
		}
		if j-i >= 12 {
			break
		}
		end = toks[j].end
	}
	return end
}

// beforeAttribution looks for "X said (that)" or "according to X" between from and the opening mark.
func (d *doc) beforeAttribution(from, to int, all []qspan) attrib {
	seg := d.text[from:to]
	toks := words(seg)
	// according to X,
	for i := 0; i+2 < len(toks); i++ {
		if lowerASCII(toks[i].text) == "according" && lowerASCII(toks[i+1].text) == "to" && !insideQuote(from+toks[i].start, all) {
			if a := d.phrase(from+toks[i+2].start, from+phraseEnd(seg, toks, i+2, false)); a.found {
				return a
			}
		}
	}
	// last speech verb outside quotations
	for v := len(toks) - 1; v >= 0; v-- {
		lv := lowerASCII(toks[v].text)
		isVerb := speechVerbs[lv] || (lv == "put" && v+1 < len(toks) && lowerASCII(toks[v+1].text) == "it") ||
			lv == "called" || lv == "calls" || lv == "dubbed" || lv == "labeled" || lv == "labelled"
		if !isVerb || insideQuote(from+toks[v].start, all) {
			continue
		}
		// "X said … but noted '…'": the subject is that of the earlier verb
		if pv := prevNonAux(toks, v); pv >= 0 && (lowerASCII(toks[pv].text) == "but" || lowerASCII(toks[pv].text) == "and") {
			for u := pv - 1; u >= 0; u-- {
				if has(speechVerbs, toks[u].text) {
					v = u
					break
				}
			}
		}
		// subject: tokens back to a comma, skipping a leading ", who …," clause
		s := v
		for s > 0 {
			gap := seg[toks[s-1].end:toks[s].start]
			if strings.ContainsAny(gap, ",;:()—–\"“”") {
				break
			}
			s--
		}
		for s < v && (has(auxWords, toks[s].text) || has(stopConj, toks[s].text)) {
			s++
		}
		e := v
		for e > s && has(auxWords, toks[e-1].text) {
			e--
		}
		// "He said …, and went on to say, '…'": the subject is that of the earlier verb
		if e > s && lowerASCII(toks[e-1].text) == "to" {
			for u := s - 1; u >= 0; u-- {
				if has(speechVerbs, toks[u].text) && !insideQuote(from+toks[u].start, all) {
					return d.beforeAttribution(from, from+toks[u].end, all)
				}
			}
		}
		if s == e {
			// "but Admiral X, head of …, told": the name an appositive follows
			if name := d.appositiveSubject(from, from+toks[v].start, all); name != "" {
				return attrib{name: name, found: true}
			}
			// "Graham of South Carolina, who has been …, said": take the sentence's opening phrase
			e2 := phraseEnd(seg, toks, 0, false)
			if e2 < toks[v].start {
				return d.phrase(from+toks[0].start, from+e2)
			}
			// "…, said X" before the quote
			if v+1 < len(toks) {
				return d.phrase(from+toks[v+1].start, from+phraseEnd(seg, toks, v+1, true))
			}
			return attrib{}
		}
		return d.phrase(from+toks[s].start, from+toks[e-1].end)
	}
	return attrib{}
}

func prevNonAux(toks []token, v int) int {
	for i := v - 1; i >= 0; i-- {
		if !has(auxWords, toks[i].text) {
			return i
		}
	}
	return -1
}

var auxWords = setOf(`has had have would will could also later then previously once had has already has been repeatedly
recently publicly separately earlier`)
var stopConj = setOf(`but and so as while when then though although because yet since after before if however also in`)

// insideQuote: pos lies inside one of the quotations, which are in text
// order and do not overlap, so only the last one starting at or before pos can hold it.
func insideQuote(pos int, all []qspan) bool {
	i := sort.Search(len(all), func(i int) bool { return all[i].start > pos }) - 1
	return i >= 0 && pos < all[i].end
}

// phrase resolves a speaker phrase: a named person in it, else a named
// organisation at its head, else a pronoun resolved to the last person named,
// else the description itself.
func (d *doc) phrase(from, to int) attrib {
	if from >= to {
		return attrib{}
	}
	text := strings.TrimSpace(d.text[from:to])
	if text == "" {
		return attrib{}
	}
	toks := words(text)
	// "in October", "on Monday": a time or place phrase after the verb, not a speaker
	if len(toks) > 0 && !isCap(toks[0].text) && has(stopAfterSpeaker, toks[0].text) && !has(pronouns, toks[0].text) {
		return attrib{}
	}
	var person, org string
	orgStart, orgEnd := -1, -1
	for _, m := range d.mentionsIn(from, to) {
		if m.end <= to {
			switch m.kind {
			case KindPerson:
				// "the authors of … X", "a lawyer for X": X is not who spoke
				if !(startsWithDeterminer(text) && modifierBefore(d.text[from:m.start])) {
					person = m.name
				}
			case KindOrg, KindPlace:
				org, orgStart, orgEnd = m.name, m.start, m.end
			}
		}
	}
	if person != "" {
		return attrib{name: person, found: true}
	}
	// the organisation is the speaker when it heads the phrase ("the Foreign
	// Ministry", "an Acme spokesperson"), not when it qualifies another head
	// ("the authors of a paper in the journal X")
	if org != "" && onlyDeterminers(d.text[from:orgStart]) {
		rest := strings.Trim(d.text[orgEnd:to], " .,")
		if rest == "" || has(orgVoices, rest) {
			return attrib{name: org, found: true}
		}
	}
	// "the statement said": the organisation the text says issued it
	if len(toks) <= 3 && len(toks) >= 1 && has(statementWords, toks[len(toks)-1].text) {
		if name := d.issuerBefore(from); name != "" {
			return attrib{name: name, found: true}
		}
	}
	if len(toks) == 1 {
		switch lowerASCII(toks[0].text) {
		case "he", "she":
			name, blocked := d.personBeforeBlocked(from)
			if name != "" {
				return attrib{name: name, found: true}
			}
			// no person named nearby: the last person quoted goes on, unless
			// someone else's speech was reported in between (then it is unknown)
			if name := d.recentSpeaker(KindPerson, from); name != "" && !blocked {
				return attrib{name: name, found: true}
			}
			return attrib{found: true}
		case "they", "it":
			// an organisation goes on speaking as "they" or "it": the one named
			// as a subject nearby, else the last organisation quoted
			if name := d.orgBefore(from); name != "" {
				return attrib{name: name, found: true}
			}
			if name := d.recentSpeaker(KindOrg, from); name != "" {
				return attrib{name: name, found: true}
			}
			return attrib{found: true}
		case "we", "i", "you":
			return attrib{found: true}
		}
	}
	if len(toks) > 8 {
		return attrib{}
	}
	// "the actor", "the singer and activist": the person the text was just about
	if len(toks) >= 2 && strings.EqualFold(toks[0].text, "the") && roleOnly(toks[1:]) {
		if ps := d.roles[lowerASCII(toks[1].text)]; len(ps) == 1 {
			return attrib{name: ps[0], found: true}
		}
		if name := d.personBefore(from); name != "" {
			return attrib{name: name, found: true}
		}
	}
	// "the judge" is the one person the text titled Judge; "the Sentinel" is the Sun Sentinel
	if len(toks) == 2 && strings.EqualFold(toks[0].text, "the") {
		if ps := d.roles[lowerASCII(toks[1].text)]; len(ps) == 1 {
			return attrib{name: ps[0], found: true}
		}
		if isCap(toks[1].text) {
			for _, e := range d.entities {
				if e.Kind != KindPerson && strings.HasSuffix(e.Name, " "+toks[1].text) {
					return attrib{name: e.Name, found: true}
				}
			}
		}
	}
	// a capitalised name right after "said" is a person even if the recogniser was unsure
	if org == "" && len(toks) >= 2 && len(toks) <= 3 && isCap(toks[0].text) && isCap(toks[len(toks)-1].text) && speechVerbBefore(d.text[:from]) {
		for _, m := range d.mentionsIn(from, to) {
			if m.end <= to && !(m.gaz && m.kind == KindThing) {
				return attrib{name: m.name, found: true}
			}
		}
	}
	// a known product or work is never a speaker ("the Acme Console says" names no one)
	for _, m := range d.mentionsIn(from, to) {
		if m.end <= to && m.gaz && m.kind == KindThing {
			return attrib{desc: text, found: true}
		}
	}
	// a capitalised single word the recogniser did not keep is still a name ("Housley says")
	if len(toks) == 1 && isCap(toks[0].text) && !has(commonWords, toks[0].text) {
		if e, ok := lookupGaz(toks[0].text); !ok || e.kind != KindThing {
			return attrib{name: toks[0].text, found: true}
		}
	}
	// two or three capitalised name words the recogniser did not keep ("Kim Jae-won")
	if len(toks) >= 2 && len(toks) <= 3 && allNameWords(toks) && strings.TrimSpace(text[toks[0].start:]) == text {
		if _, ok := lookupGaz(text); !ok {
			return attrib{name: text, found: true}
		}
	}
	return attrib{desc: text, found: true}
}

var pronouns = setOf(`he she they it we i you`)

// orgVoices follow an organisation that speaks through them.
var orgVoices = setOf(`spokesperson spokesman spokeswoman spokespeople representative representatives statement release
press office`)

// statementWords name a document that "said" something for its issuer.
var statementWords = setOf(`statement release letter post filing announcement`)

// onlyDeterminers: the text is empty or only articles ("the", "a").
func onlyDeterminers(s string) bool {
	for _, t := range words(s) {
		switch lowerASCII(t.text) {
		case "the", "a", "an":
		default:
			return false
		}
	}
	return true
}

// issuerBefore finds who issued the statement a quotation comes from: the
// first organisation or person named in the nearest sentence, at most two
// back, that mentions a statement or release.
func (d *doc) issuerBefore(pos int) string {
	si := d.sentenceAt(pos)
	for i := si; i >= 0 && i >= si-2; i-- {
		s := d.sents[i]
		lt := strings.ToLower(d.text[s.start:s.end])
		if !strings.Contains(lt, "statement") && !strings.Contains(lt, "release") {
			continue
		}
		for _, m := range d.mentionsIn(s.start, min(s.end, pos)) {
			if m.end <= s.end && (m.kind == KindOrg || m.kind == KindPerson) && !insideQuote(m.start, d.quoted) {
				return m.name
			}
		}
	}
	return ""
}

// orgBefore resolves "they"/"it": the organisation named as the subject
// (first name of the sentence) in one of the three sentences before pos.
func (d *doc) orgBefore(pos int) string {
	si := d.sentenceAt(pos)
	for i := si; i >= 0 && i >= si-3; i-- {
		s := d.sents[i]
		limit := min(s.end, pos)
		for _, m := range d.mentionsIn(s.start, limit) {
			if m.end > limit || insideQuote(m.start, d.quoted) {
				continue
			}
			if m.kind == KindOrg {
				return m.name
			}
			break // the sentence's first name is not an organisation
		}
	}
	return ""
}

// sentenceAt returns the index of the sentence holding pos (the last starting at or before it).
func (d *doc) sentenceAt(pos int) int {
	// sentences are in text order: binary search keeps attribution linear overall
	return sort.Search(len(d.sents), func(i int) bool { return d.sents[i].start > pos }) - 1
}

// mentionsIn returns the mentions starting in [from, to), in text order
// (d.mentions is sorted by start); callers check where they end.
func (d *doc) mentionsIn(from, to int) []mention {
	i := sort.Search(len(d.mentions), func(i int) bool { return d.mentions[i].start >= from })
	j := i
	for j < len(d.mentions) && d.mentions[j].start < to {
		j++
	}
	return d.mentions[i:j]
}

// personBefore resolves he/she: the first person named in the nearest
// sentence before pos that names one (the subject, usually), looking at most
// three sentences back.
func (d *doc) personBefore(pos int) string {
	name, _ := d.personBeforeBlocked(pos)
	return name
}

// personBeforeBlocked is personBefore that also says whether the search
// stopped at a sentence reporting someone else's speech, so no guess is made.
func (d *doc) personBeforeBlocked(pos int) (string, bool) {
	si := d.sentenceAt(pos)
	for i := si; i >= 0 && i >= si-3; i-- {
		s := d.sents[i]
		limit := s.end
		if i == si {
			limit = pos
		}
		for _, m := range d.mentionsIn(s.start, limit) {
			if m.kind == KindPerson && m.end <= limit && !listener(d.text[s.start:m.start]) &&
				!insideQuote(m.start, d.quoted) && !prepBefore(d.text[s.start:m.start]) {
				return m.name, false
			}
		}
		if v := firstSpeechVerb(d.text[s.start:limit]); i < si && v >= 0 && !pronounSubject(d.text[s.start:s.start+v]) {
			// "Another woman … told Lazar that …": the last sentence that reported
			// speech named only its listener, so the speaker is unnamed; "She
			// added, …" goes on with the same person
			return "", true
		}
	}
	return "", false
}

// listener: the text before a name ends in "told" or "asked", so the name is who was spoken to.
func listener(before string) bool {
	t := words(before)
	if len(t) == 0 || strings.TrimSpace(before[t[len(t)-1].end:]) != "" {
		return false
	}
	switch lowerASCII(t[len(t)-1].text) {
	case "told", "tells", "tell", "asked", "asks", "ask":
		return true
	}
	return false
}

// firstSpeechVerb returns the offset of the first speech verb in s, or -1.
func firstSpeechVerb(s string) int {
	for _, t := range words(s) {
		if has(speechVerbs, t.text) {
			return t.start
		}
	}
	return -1
}

// titlesOnly: the text before a name is empty or a few capitalised title
// words ("Foreign Minister" in "Foreign Minister X, who …, said").
func titlesOnly(s string) bool {
	t := words(s)
	if len(t) > 4 || strings.ContainsAny(s, ",;:()") {
		return false
	}
	for _, w := range t {
		if !isCap(w.text) && !has(titleWords, w.text) {
			return false
		}
	}
	return true
}

// personInClause returns the first person named in text[from:to] before any
// comma or semicolon, or "".
func (d *doc) personInClause(from, to int) string {
	for _, m := range d.mentionsIn(from, to) {
		if m.kind == KindPerson && m.end <= to && !strings.ContainsAny(d.text[from:m.start], ",;()") {
			return m.name
		}
	}
	return ""
}

// pronounSubject: the clause before a speech verb is a he/she pronoun, maybe after a lead-in ("Later, she").
func pronounSubject(before string) bool {
	t := words(before)
	if len(t) == 0 {
		return false
	}
	switch lowerASCII(t[len(t)-1].text) {
	case "he", "she":
		return true
	}
	if len(t) >= 2 {
		switch lowerASCII(t[len(t)-2].text) {
		case "he", "she":
			return has(auxWords, t[len(t)-1].text)
		}
	}
	return false
}

// roleNouns describe a public person by occupation; "the actor said" refers
// back to the person just named, unlike "the woman" or "the officer".
var roleNouns = setOf(`actor actress singer rapper musician artist author writer novelist director producer comedian
host star player athlete quarterback coach activist filmmaker entrepreneur billionaire founder`)

// roleOnly: the tokens are role nouns joined by "and", maybe after "former".
func roleOnly(toks []token) bool {
	n := 0
	for _, t := range toks {
		switch lw := lowerASCII(t.text); {
		case lw == "and" || lw == "former":
		case roleNouns[lw]:
			n++
		default:
			return false
		}
	}
	return n > 0
}

// modifierBefore: the phrase before a name holds a lower-case noun and a
// preposition ("the authors of the study in X", "a lawyer for X"), so the
// name modifies another head.
func modifierBefore(s string) bool {
	t := words(s)
	for i := 1; i < len(t); i++ {
		switch lowerASCII(t[i].text) {
		case "of", "for", "to", "with", "by", "from", "at", "in", "on", "about":
			if !isCap(t[i-1].text) {
				return true
			}
		}
	}
	return false
}

// startsWithDeterminer: the phrase is a noun phrase opening with an article ("the authors of …").
func startsWithDeterminer(s string) bool {
	t := words(s)
	if len(t) == 0 {
		return false
	}
	switch lowerASCII(t[0].text) {
	case "the", "a", "an":
		return true
	}
	return false
}

// spoke records the last named speaker of a kind and the paragraph of that quotation.
type spoke struct {
	name string
	para int
}

// speakerReach is how many paragraphs back a pronoun may refer to the last speaker quoted.
const speakerReach = 3

// recentSpeaker returns the last named speaker of the kind if it was quoted
// within speakerReach paragraphs before pos, or "".
func (d *doc) recentSpeaker(kind string, pos int) string {
	sp, ok := d.lastSpeaker[kind]
	if !ok {
		return ""
	}
	si := d.sentenceAt(pos)
	if si < 0 || d.sentPara[si]-sp.para > speakerReach {
		return ""
	}
	return sp.name
}

// appositiveSubject finds "X, <description>, said" before a verb at verbAt:
// the last person named in [from, verbAt) whom a comma follows directly, with
// one comma-enclosed description and nothing else between it and the verb.
func (d *doc) appositiveSubject(from, verbAt int, all []qspan) string {
	ms := d.mentionsIn(from, verbAt)
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		if m.kind != KindPerson || insideQuote(m.start, all) || m.end >= len(d.text) || d.text[m.end] != ',' {
			continue
		}
		between := strings.TrimSpace(d.text[m.end+1 : verbAt])
		if strings.Count(between, ",") == 1 && strings.HasSuffix(between, ",") && !strings.ContainsAny(between, ";:\"“”") &&
			!listener(d.text[from:m.start]) && !prepBefore(d.text[from:m.start]) {
			return m.name
		}
		return ""
	}
	return ""
}
