package insight

import (
	"context"
	"strings"
	"testing"
)

func TestHashtagsSurfaceForms(t *testing.T) {
	tests := []struct {
		name     string
		arts     []Article
		want     []string // must be among the tags
		wantNone []string // must not be
	}{
		{
			name: "injuries and charges stay words, names lead",
			arts: []Article{{ID: 1, Title: "Injuries after bridge crisis", Outlet: "A", Text: `Mayor Alma Reyes said the Harbor Bridge will stay closed after the crisis.
Eleven workers suffered injuries when a cable snapped on the Harbor Bridge, Mayor Alma Reyes said.
The city filed charges against the contractor. The charges follow the injuries of the workers.
Crews will show the public the cable inspection results, and the cable inspection will take a week.
Residents said the closed bridge made their favorite shops hard to reach.`}},
			want:     []string{"#HarborBridge", "#AlmaReyes", "#CableInspection"},
			wantNone: []string{"#Injur", "#Injuri", "#Charg", "#Crisi", "#Show", "#Worker", "#Favorite", "#Injuries", "#Charges"},
		},
		{
			name: "vaccination phrase as written",
			arts: []Article{{ID: 1, Title: "Vaccination drive reaches villages", Outlet: "A", Text: `The Health Ministry expanded its vaccination drive on Monday.
Nurses from the Health Ministry brought the vaccination drive to remote villages, officials said.
The vaccination drive will continue through the winter, the Health Ministry said.`}},
			want:     []string{"#HealthMinistry", "#VaccinationDrive"},
			wantNone: []string{"#Vaccinat", "#Vaccin", "#Villag"},
		},
		{
			name: "a capitalised common word is no tag",
			arts: []Article{{ID: 1, Title: "Brunch sold out", Outlet: "A", Text: `Mother's Day brunch sold out in Carver City. On Mother's Day the cafes were full, and every day this week too.
Show organizers thanked every worker in Carver City.`}},
			want:     []string{"#CarverCity"},
			wantNone: []string{"#Day", "#Show", "#Worker"},
		},
		{
			name: "verb phrases are not topics",
			arts: []Article{{ID: 1, Title: "Gunman opened fire", Outlet: "A", Text: `A gunman opened fire outside Lumen Hall in Carver City on Friday.
Witnesses said the gunman opened fire twice and then pleaded guilty later, police said.
The gunman pleaded guilty to charges at Lumen Hall, a court in Carver City said.`}},
			want:     []string{"#LumenHall", "#CarverCity"},
			wantNone: []string{"#OpenedFire", "#PleadedGuilty"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := Story(context.Background(), tt.arts)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !contains(in.Hashtags, w) {
					t.Errorf("hashtags %v lack %s", in.Hashtags, w)
				}
			}
			for _, w := range tt.wantNone {
				if contains(in.Hashtags, w) {
					t.Errorf("hashtags %v hold %s", in.Hashtags, w)
				}
			}
			// every tag is written in the text: a name or phrase, never a stem
			var all strings.Builder
			for _, a := range tt.arts {
				all.WriteString(a.Title + " " + a.Text + " ")
			}
			flat := strings.ToLower(strings.NewReplacer(" ", "", "-", "", ".", "", "'", "").Replace(all.String()))
			for _, h := range in.Hashtags {
				if !strings.Contains(flat, strings.ToLower(h[1:])) {
					t.Errorf("tag %s is not written in the text", h)
				}
			}
		})
	}
}
