package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/insight"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

func TestToViewDates(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 12, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		sum  []insight.Sentence
		want []string
	}{
		{"one day: undated", []insight.Sentence{{Text: "a"}, {Text: "b"}}, []string{"", ""}},
		{"days of one year", []insight.Sentence{{Text: "a", Published: d(2026, 3, 2)}, {Text: "b", Published: d(2026, 3, 5)}},
			[]string{"Mar 2", "Mar 5"}},
		{"across a new year", []insight.Sentence{{Text: "a", Published: d(2025, 12, 30)}, {Text: "b", Published: d(2026, 1, 2)}},
			[]string{"Dec 30, 2025", "Jan 2, 2026"}},
	}
	for _, tt := range tests {
		v := toView(insight.Insight{Summary: tt.sum})
		for i, w := range tt.want {
			if v.Summary[i].Date != w {
				t.Errorf("%s: line %d dated %q, want %q", tt.name, i, v.Summary[i].Date, w)
			}
		}
	}
}

func TestComputeInsightCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	arts := []model.Article{{ID: 1, Title: "T", Text: "The council voted on Tuesday to close the old river bridge for repairs."}}
	if _, err := computeInsight(ctx, model.Story{ID: 1}, arts); !errors.Is(err, context.Canceled) {
		t.Errorf("computeInsight on a cancelled context: err %v, want context.Canceled", err)
	}
	if _, _, err := computeArticleInsight(ctx, arts[0]); !errors.Is(err, context.Canceled) {
		t.Errorf("computeArticleInsight on a cancelled context: err %v, want context.Canceled", err)
	}
}

// hostileText is n short sentences drawn from 35 words (issue 13's page).
func hostileText(n int) string {
	vocab := strings.Fields(`river stone market lamp window garden teacher engine winter harbor candle forest
	bottle mirror ladder basket thunder pillow silver meadow rocket violin pepper castle anchor saddle tunnel
	marble feather velvet copper lantern orchard canyon blanket`)
	var b strings.Builder
	for i := 0; i < n; i++ {
		w := vocab[(i*7)%len(vocab)]
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		for j := 0; j < 4+i%6; j++ {
			b.WriteString(" " + vocab[(i*13+j*5)%len(vocab)])
		}
		b.WriteString(". ")
		if i%40 == 39 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestHostileArticleStoryPage: a 1.6 MB article of 12,000 short sentences,
// viewed as a story and as an article, is served with its insight (read up
// to the caps), and a view whose request is cancelled caches nothing.
func TestHostileArticleStoryPage(t *testing.T) {
	f := newFixture()
	body := hostileText(12000)
	for len(body) < 1600<<10 {
		body += "\n" + hostileText(2000)
	}
	st := f.st.addStory(model.Story{Headline: "Lamp river stone", FirstSeen: f.now, Updated: f.now, Articles: 1, Outlets: 1, Countries: 1, Score: 1})
	a := f.st.addArticle(model.Article{SourceID: f.bbc.ID, URL: "https://bbc.example/long", Title: "Lamp river stone",
		Published: f.now, StoryID: st.ID, Text: body})
	h := f.handler(Options{})

	// cancelled before it starts: the page still answers, nothing is cached
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", fmt.Sprintf("/story/%d", st.ID), nil).WithContext(ctx)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if _, _, err := f.st.Insight(context.Background(), st.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a cancelled view cached an insight (err %v)", err)
	}

	for _, path := range []string{fmt.Sprintf("/story/%d", st.ID), fmt.Sprintf("/article/%d", a.ID)} {
		if rec := do(t, h, "GET", path, nil); rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d", path, rec.Code)
		}
	}
	_, data, err := f.st.Insight(context.Background(), st.ID)
	if err != nil {
		t.Fatalf("story insight not cached: %v", err)
	}
	var ci cachedInsight
	if err := json.Unmarshal(data, &ci); err != nil {
		t.Fatal(err)
	}
	if len(ci.View.Summary) == 0 {
		t.Error("no summary computed for the long article")
	}
}
