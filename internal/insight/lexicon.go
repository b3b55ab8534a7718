package insight

// Word lists for the entity recogniser. They are small on purpose: they
// name closed classes (titles, months, demonyms) rather than the open world.

var titleWords = setOf(`president vice secretary secretary-general general chancellor sen senator rep representative gov governor
mayor minister premier chief director ambassador spokesman spokeswoman spokesperson officer sgt sergeant lt lieutenant
capt captain det detective deputy sheriff trooper investigator agent commissioner councilman councilwoman council-member
judge justice dr mr mrs ms miss rev reverend pastor father bishop pope king queen prince princess gen col colonel maj major adm
admiral cpl corporal pvt private coroner prosecutor attorney superintendent principal coach professor prof dean chairman
chairwoman chair ceo patrolman marshal constable former acting interim senior special speaker leader assistant ofc
cmdr commander inspector supt lawyer attorney-general first lady sister brother uncle aunt cousin mother dad mom grandmother
grandfather officer-in-charge spokesperson president-elect candidate nominee host anchor correspondent reporter
republican democrat democratic gop independent`)

// titlePhrases are multi-word titles matched before single title words.
var titlePhrases = [][]string{
	{"secretary", "of", "state"}, {"secretary", "of", "defense"}, {"secretary", "of", "war"}, {"secretary", "general"},
	{"attorney", "general"}, {"prime", "minister"}, {"district", "attorney"}, {"police", "chief"}, {"fire", "chief"},
	{"foreign", "minister"}, {"defense", "minister"}, {"defence", "minister"}, {"state", "attorney"}, {"u.s.", "attorney"},
	{"police", "officer"}, {"police", "sgt"}, {"police", "sergeant"}, {"police", "capt"}, {"police", "captain"},
	{"police", "lt"}, {"police", "lieutenant"}, {"police", "spokesman"}, {"police", "spokeswoman"}, {"police", "detective"},
	{"police", "det"}, {"police", "officer"}, {"medical", "examiner"},
	{"house", "speaker"}, {"white", "house", "press", "secretary"}, {"press", "secretary"}, {"public", "information", "officer"},
}

var orgKeywords = setOf(`department dept office agency university college school academy hospital center centre clinic church
court council committee commission corporation corp inc co company group bank association network news times post journal
tribune herald gazette party army navy force forces administration ministry union institute foundation bureau service services
unit board authority club society organization organisation patrol police senate congress parliament assembly airlines
airways fund alliance coalition mission cathedral mosque synagogue temple prison jail penitentiary museum library team
command guard corps brigade battalion regiment division squad laboratory lab league federation trust llc ltd plc
enterprises industries holdings systems technologies media press radio television tv channel magazine
inn hotel motel theater theatre stadium arena market supermarket goods store stores restaurant grill cafe pub lounge
nightclub casino studio studios wire`)

var placeKeywords = setOf(`street st avenue ave road rd drive boulevard blvd lane ln way place highway hwy interstate freeway
expressway route county city town township borough park lake river mountain mountains island islands beach valley heights hills
hill bay square bridge parkway pkwy circle terrace trail pike creek village region province state district gateway harbor port
canyon springs falls mall plaza apartments estates gardens airport station coast peninsula sea ocean gulf strait desert forest
neighborhood neighbourhood ridge point fort crossing junction av se sw ne nw parish`)

var months = setOf(`january february march april may june july august september october november december jan feb mar apr
jun jul aug sep sept oct nov dec`)

var weekdays = setOf(`monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun`)

var demonyms = setOf(`american americans russian russians ukrainian ukrainians european europeans german germans british french
italian spanish chinese japanese korean iranian israeli israelis palestinian palestinians arab arabs african african-american
african-americans hispanic latino latina asian western eastern northern southern western-made russian-made u.s.-made
canadian mexican indian pakistani afghan iraqi syrian turkish polish dutch swedish norwegian danish finnish greek nordic
baltic soviet christian christians muslim muslims jewish catholic protestant republican republicans democrat democrats
democratic conservative conservatives liberal liberals black white caucasian english scottish irish welsh australian
kremlin-backed pro-russian anti-war`)

// commonWords are capitalised at the start of a sentence but are not names.
var commonWords = setOf(`the a an this that these those there here it its he she they we i you his her their our my your
who what when where why how which while after before during since until if unless although though but and or nor so yet
as at by for from in into of on onto to with without about above below under over between among through across
police officers officials authorities investigators witnesses neighbors neighbours residents relatives deputies detectives
prosecutors troopers family friends friend doctors firefighters paramedics sources reports records documents court officer
officials official victims victim suspect suspects man woman men women boy girl child children teen teens people someone
no yes not one two three four five six seven eight nine ten eleven twelve twenty hundred thousand several many some all
both each every another other others more most few first second third last next new former later earlier still meanwhile
however also instead indeed ultimately already now then today tonight yesterday tomorrow according asked anyone anybody
nobody everyone everybody please thanks thank oh well ok okay mr mrs ms sir madam dear just only even again once
details update updated breaking watch video photos photo read more related copyright editing reporting
block`)

// furniture words of web pages are never part of a name ("Updated", "Posted", "PM").
var furniture = setOf(`updated posted published photo photos video videos advertisement page read share watch click follow
related caption view full close pause play free apps now more am pm a.m p.m edt est cdt cst mdt mst pdt pst gmt utc bst
ii iii iv reserved stories`)

// genericAcronyms are capitalised abbreviations that name no one in particular.
var genericAcronyms = setOf(`EMS BB SUV ATV CPR ER ICU DUI DWI GPS DNA TV ID PD OK AM PM FM R&B CEO`)

// thingKeywords end names of events and works ("Sacramento Mural Festival").
var thingKeywords = setOf(`festival fair conference summit games awards award prize cup championship tournament marathon
parade show expo week day program programme initiative act`)

// speechVerbs introduce or close a quotation.
var speechVerbs = setOf(`said says say told tells added adds asked asks explained explains wrote writes stated states noted notes
recalled recalls continued continues insisted insists declared declares claimed claims remarked replied replies warned warns
urged urges acknowledged acknowledges admitted admits argued argues announced announces posted posts tweeted tweets testified
testifies cried yelled screamed shouted described describes estimated estimates confirmed confirms reported reports
recounted recounts concluded concludes stressed stresses emphasized emphasizes observed observes suggested suggests predicted
predicts added, told, wondered wonders pleaded pleads vowed vows sobbed joked jokes responded responds answered answers
conceded concedes mused muses whispered whispers texted`)
