package clustering

import (
	"fmt"
	"time"
)

// roundupRecords is a small hand-written stand-in for the news-roundup kind of
// data: each story is one event covered by three outlets of different leanings,
// lead paragraphs only, with different wording and emphasis. Several events
// share a topic (two court rulings, two storms, two budget fights) so that
// topic alone must not merge them. Events and names are fictional.
func roundupRecords() []record {
	type lead struct{ source, title, text string }
	stories := [][]lead{
		{
			{"left", "Supreme Court strikes down Ohio voter purge law in 5-4 ruling",
				"The Supreme Court on Tuesday struck down an Ohio law that removed infrequent voters from the rolls, handing voting-rights advocates a narrow 5-4 victory. Justice Elena Marquez wrote for the majority that the purge violated the National Voter Registration Act."},
			{"center", "Justices rule against Ohio's voter roll maintenance rules",
				"A divided Supreme Court ruled 5-4 on Tuesday that Ohio's process for removing inactive voters from registration lists conflicts with federal law. The opinion by Justice Elena Marquez sends the case back to lower courts."},
			{"right", "Court's liberal bloc overturns Ohio election integrity law",
				"Ohio's effort to keep its voter rolls accurate was overturned Tuesday as the Supreme Court's liberal justices, joined by Justice Marquez, voted 5-4 against the state. Secretary of State Frank LaRose called the ruling a blow to election integrity."},
		},
		{
			{"left", "Supreme Court hears challenge to Texas abortion pill restrictions",
				"Justices on Wednesday heard arguments over Texas rules limiting mifepristone by mail, with several conservatives appearing skeptical of the doctors who brought the case. A decision is expected by June."},
			{"center", "Texas mifepristone case argued before the Supreme Court",
				"The Supreme Court heard oral arguments Wednesday in a dispute over Texas restrictions on mailing the abortion pill mifepristone. Lawyers for a group of physicians argued the rules endanger patients."},
			{"right", "Pro-life Texas law defended at high court",
				"Texas Solicitor General Aaron Nielson told the justices Wednesday that the state may regulate how mifepristone is dispensed, defending a law that pro-life groups say protects women from a dangerous drug."},
		},
		{
			{"left", "Hurricane Dora slams Florida Panhandle, leaving 300,000 without power",
				"Hurricane Dora made landfall near Panama City early Thursday as a Category 3 storm, knocking out power to about 300,000 homes and flooding streets. Climate scientists say warmer Gulf waters fueled its rapid intensification."},
			{"center", "Dora makes landfall near Panama City as Category 3 hurricane",
				"Hurricane Dora came ashore near Panama City, Florida, on Thursday with winds of 120 mph, cutting electricity to roughly 300,000 customers, utility Florida Power & Light said."},
			{"right", "DeSantis deploys Guard as Hurricane Dora hits Panhandle",
				"Gov. Ron DeSantis activated 2,500 National Guard troops Thursday after Hurricane Dora struck the Florida Panhandle near Panama City, leaving hundreds of thousands in the dark."},
		},
		{
			{"left", "Tropical Storm Ernesto floods Houston neighborhoods",
				"Days of rain from Tropical Storm Ernesto flooded low-lying Houston neighborhoods on Saturday, forcing water rescues in Kashmere Gardens. Advocates say the city's poorest areas again bore the brunt."},
			{"center", "Ernesto brings flash flooding to Houston area",
				"Tropical Storm Ernesto dumped more than 10 inches of rain across the Houston area by Saturday, prompting flash flood warnings and dozens of high-water rescues, the National Weather Service said."},
			{"right", "Houston mayor Whitmire says city ready as Ernesto drenches region",
				"Houston Mayor John Whitmire said Saturday that crews had completed more than 40 rescues as Tropical Storm Ernesto soaked Harris County, praising first responders."},
		},
		{
			{"left", "House Republicans push budget that slashes Medicaid",
				"House Republicans on Monday unveiled a budget blueprint that would cut $880 billion from Medicaid over a decade, a plan Democrats warned would strip coverage from millions of low-income Americans."},
			{"center", "House GOP budget plan proposes $880 billion in Medicaid savings",
				"The House Budget Committee released a fiscal plan Monday calling for $880 billion in reductions to Medicaid over ten years alongside extended tax cuts, setting up a clash with the Senate."},
			{"right", "GOP budget reins in runaway Medicaid spending",
				"Budget Committee Chairman Jodey Arrington on Monday rolled out a plan that trims $880 billion in Medicaid waste and fraud, a step conservatives say is overdue to rein in federal spending."},
		},
		{
			{"left", "Senate Democrats block stopgap bill as shutdown looms",
				"Senate Democrats on Thursday blocked a Republican stopgap spending bill, saying it shortchanged health care, raising the odds of a government shutdown at midnight Friday."},
			{"center", "Senate vote on temporary funding fails, shutdown deadline nears",
				"A short-term measure to fund the government through November failed in the Senate on Thursday, 52-47, short of the 60 votes needed, with a shutdown deadline hours away."},
			{"right", "Schumer's Democrats vote to shut down the government",
				"Chuck Schumer led Senate Democrats in rejecting a clean continuing resolution on Thursday, 52-47, a vote Republicans say makes a shutdown all but certain."},
		},
		{
			{"left", "Amazon workers in Staten Island walk out over heat",
				"Hundreds of workers at Amazon's JFK8 warehouse in Staten Island walked off the job Tuesday, saying the company failed to cool the building during a record heat wave."},
			{"center", "Amazon JFK8 employees stage walkout",
				"Employees at Amazon's JFK8 fulfillment center on Staten Island staged a walkout on Tuesday over working conditions during high temperatures, the Amazon Labor Union said."},
			{"right", "Union stunt at Amazon Staten Island warehouse draws few",
				"A walkout organized by the Amazon Labor Union at the JFK8 warehouse in Staten Island on Tuesday drew only a fraction of its 8,000 workers, the company said."},
		},
		{
			{"left", "Fed holds rates steady, signals cuts may wait",
				"The Federal Reserve left interest rates unchanged on Wednesday and Chair Jerome Powell said inflation was still too high to begin cutting, disappointing borrowers."},
			{"center", "Federal Reserve keeps benchmark rate at 5.25%-5.5%",
				"The Fed held its benchmark interest rate in a range of 5.25% to 5.5% on Wednesday, as Powell said officials need more confidence that inflation is moving toward 2%."},
			{"right", "Powell's Fed stands pat as Bidenomics inflation lingers",
				"Jerome Powell's Federal Reserve kept rates at a 23-year high Wednesday, another sign that inflation under President Biden remains stubborn."},
		},
		{
			{"left", "Police shooting of Black teen in Akron sparks protests",
				"Protesters gathered outside Akron City Hall on Sunday after police fatally shot 17-year-old Darnell Price during a traffic stop, demanding release of body camera video."},
			{"center", "Akron police fatally shoot 17-year-old during traffic stop",
				"An Akron police officer shot and killed 17-year-old Darnell Price after a traffic stop on Saturday night, officials said, and the state attorney general will investigate."},
			{"right", "Akron officer fired after teen reached for gun, police union says",
				"The Akron police union said Sunday that the officer who shot Darnell Price, 17, acted in self-defense after the teen reached for a handgun during a traffic stop."},
		},
		{
			{"left", "Chicago police shooting leaves man dead in Englewood",
				"A 34-year-old man was killed Monday when Chicago police opened fire in Englewood, the latest in a string of police shootings the city's oversight agency is reviewing."},
			{"center", "Man killed in Englewood police-involved shooting",
				"Chicago police shot and killed a 34-year-old man in the Englewood neighborhood on Monday after what officials described as an exchange of gunfire near 63rd Street."},
			{"right", "Chicago officer wounded in Englewood shootout, suspect killed",
				"A Chicago police officer was wounded and a 34-year-old gunman killed in a shootout on 63rd Street in Englewood on Monday, Superintendent Larry Snelling said."},
		},
		{
			{"left", "Tesla recalls 2 million cars over Autopilot flaws",
				"Tesla is recalling about 2 million vehicles to fix Autopilot after federal regulators found the system did too little to keep drivers paying attention."},
			{"center", "Tesla recalls nearly all US vehicles to update Autopilot safeguards",
				"Tesla will send an over-the-air software update to roughly 2 million vehicles in the US to add Autopilot driver-attention controls, the NHTSA said Wednesday."},
			{"right", "NHTSA forces Tesla Autopilot update on 2 million cars",
				"Federal safety regulators at NHTSA pressed Elon Musk's Tesla into a recall of 2 million cars on Wednesday over Autopilot, a move critics call regulatory overreach."},
		},
		{
			{"left", "Ford recalls 1.9 million Explorers over trim that can fly off",
				"Ford is recalling 1.9 million Explorer SUVs because exterior trim pieces can detach while driving and hit other cars, the company said Friday."},
			{"center", "Ford Explorer recall covers 1.9 million SUVs",
				"Ford Motor said Friday it would recall about 1.9 million Explorer sport utility vehicles from model years 2011 to 2019 to secure A-pillar trim."},
			{"right", "Ford pulls back 1.9 million Explorers in trim recall",
				"Ford on Friday announced a recall of 1.9 million Explorer SUVs whose windshield trim can come loose at highway speed, the automaker's latest quality headache."},
		},
	}
	base := time.Date(2024, 6, 3, 8, 0, 0, 0, time.UTC)
	var recs []record
	for i, st := range stories {
		day := base.Add(time.Duration(i/2) * 24 * time.Hour)
		for j, l := range st {
			recs = append(recs, record{
				ID: fmt.Sprintf("r%d-%d", i, j), Cluster: fmt.Sprintf("s%d", i),
				Title: l.title, Text: l.text, Source: l.source, Lang: "en",
				t: day.Add(time.Duration(j*3+i%2) * time.Hour),
			})
		}
	}
	// published order, ties in construction order
	sortRecords(recs)
	return recs
}
