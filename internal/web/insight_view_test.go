package web

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/insight"
	"github.com/dateline-news/dateline/internal/model"
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
