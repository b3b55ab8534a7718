package text

// NewsStopEN is the English stop list of the insight extractors: function
// words plus the vocabulary of reporting itself (said, told, today,
// weekdays, months, small numbers in words), which every story shares and
// which therefore says nothing about any one of them. It is wider than
// IsStop's list, which clustering uses and must not change.
var NewsStopEN = Set(`a about above according across after afterwards again against all almost alone along already also although
always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at back be
became because become becomes becoming been before beforehand behind being below beside besides between beyond
both but by can cannot could did do does doing done down during each either else elsewhere enough even ever
every everyone everything everywhere except few first for former formerly from further had has have having he
her here hereafter hereby herein hers herself him himself his how however i if in indeed into is it its itself
just last latter least less like made make many may me meanwhile might mine more moreover most mostly much
must my myself namely neither never nevertheless next no nobody none nor not nothing now nowhere of off often
on once one only onto or other others otherwise our ours ourselves out over own per perhaps please put rather
re same see seem seemed seeming seems several she should since so some somehow someone something sometime
sometimes somewhere still such than that the their theirs them themselves then thence there thereafter thereby
therefore therein these they this those though through throughout thus to together too toward towards under
until up upon us very via was we well were what whatever when whence whenever where whereas whereby wherever
whether which while whither who whoever whole whom whose why will with within without would yet you your yours
yourself yourselves said says say told tell tells added adds also would could just get got gets new one two
three four five six seven eight nine ten year years day days week weeks time times mr mrs ms today yesterday
tomorrow monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december ago around including include includes reported report according
people going know want still many much lot`)

// IsNewsStop reports words that carry no content for summaries, terms and
// hashtags in lang: IsStop's words, and in English NewsStopEN's too.
func IsNewsStop(lang, w string) bool {
	if lang == "en" || lang == "" {
		return NewsStopEN[w] || IsStop(lang, w)
	}
	return IsStop(lang, w)
}
