package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/insight/llm"
	"github.com/dateline-news/dateline/internal/model"
)

// housingWorld is a fake store holding one two-outlet story told with the
// texts of the end-to-end test, rich enough for an extractive summary.
func housingWorld(now time.Time) (*fakeStore, model.Story) {
	st := newFakeStore()
	ap := st.addSource(model.Source{Name: "AP", Country: "US", Language: "en"})
	mer := st.addSource(model.Source{Name: "El Mercurio", Country: "CL", Language: "es"})
	story := st.addStory(model.Story{Headline: "Chile plans 40,000 homes in Valparaiso", FirstSeen: now.Add(-3 * time.Hour),
		Updated: now.Add(-time.Hour), Articles: 2, Outlets: 2, Countries: 2, Score: 9})
	st.addArticle(model.Article{SourceID: ap.ID, URL: "https://apnews.example/chile", Title: "Chile to build 40,000 homes",
		Published: now.Add(-3 * time.Hour), StoryID: story.ID, Text: wireText})
	st.addArticle(model.Article{SourceID: mer.ID, URL: "https://elmercurio.example/vivienda", Title: "Lopez unveils housing plan",
		Published: now.Add(-time.Hour), StoryID: story.ID, Text: independentText})
	return st, story
}

// fakeChat is an OpenAI-compatible chat-completions endpoint.
type fakeChat struct {
	calls   atomic.Int32
	status  int
	mu      sync.Mutex
	reply   string
	release chan struct{} // when non-nil, requests wait for it to close
}

func (f *fakeChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	var req struct {
		Model    string `json:"model"`
		Messages []struct {
			Content string `json:"content"`
		} `json:"messages"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "tiny" || len(req.Messages) < 2 ||
		!strings.Contains(req.Messages[1].Content, "Outlet: El Mercurio") {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if f.release != nil {
		select {
		case <-f.release:
		case <-r.Context().Done():
			return
		}
	}
	if f.status != 0 && f.status != http.StatusOK {
		http.Error(w, "overloaded", f.status)
		return
	}
	f.mu.Lock()
	reply := f.reply
	f.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"choices": []map[string]any{
		{"message": map[string]string{"role": "assistant", "content": reply}}}})
}

const aiReply = "Chile will build 40,000 homes in Valparaiso at a cost of $2.5 billion (AP, El Mercurio). " +
	"The opposition says the <b>money</b> is not there (AP)."

func TestAISummary(t *testing.T) {
	tests := []struct {
		name   string
		chat   func() *fakeChat
		wantAI bool
	}{
		{name: "enabled", chat: func() *fakeChat { return &fakeChat{reply: aiReply} }, wantAI: true},
		{name: "endpoint fails", chat: func() *fakeChat { return &fakeChat{status: http.StatusServiceUnavailable} }},
		{name: "endpoint slow", chat: func() *fakeChat { return &fakeChat{reply: aiReply, release: make(chan struct{})} }},
		{name: "names no outlet", chat: func() *fakeChat { return &fakeChat{reply: "Homes will be built."} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
			st, story := housingWorld(now)
			chat := tc.chat()
			endpoint := httptest.NewServer(chat)
			defer endpoint.Close()
			if chat.release != nil {
				defer close(chat.release)
			}
			sum := llm.New(llm.Config{BaseURL: endpoint.URL + "/v1", Model: "tiny", Timeout: 300 * time.Millisecond}, endpoint.Client())
			h := New(st, Options{Now: func() time.Time { return now }, Summarizer: sum})
			path := "/story/" + itoa(story.ID)

			// The first view never waits for the model: it shows the
			// extractive summary at once.
			first := do(t, h, "GET", path, nil)
			if first.Code != http.StatusOK || !strings.Contains(first.Body.String(), `<section class="summary">`) {
				t.Fatalf("first view: status %d, extractive summary missing:\n%s", first.Code, first.Body)
			}
			if strings.Contains(first.Body.String(), "ai-summary") && chat.release != nil {
				t.Fatal("a slow endpoint's summary appeared before it answered")
			}

			// Give the background job time to finish (or time out), then look again.
			deadline := time.Now().Add(10 * time.Second)
			var page string
			for {
				rec := do(t, h, "GET", path, nil)
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d after the model was asked:\n%s", rec.Code, rec.Body)
				}
				page = rec.Body.String()
				done := chat.calls.Load() > 0 && (strings.Contains(page, "ai-summary") || !tc.wantAI)
				if done && !tc.wantAI {
					// Let a failing job finish; the story page must not change.
					time.Sleep(500 * time.Millisecond)
					page = do(t, h, "GET", path, nil).Body.String()
				}
				if done || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			if chat.calls.Load() == 0 {
				t.Fatal("the endpoint was never called")
			}
			if !strings.Contains(page, `<section class="summary">`) {
				t.Errorf("extractive summary missing:\n%s", page)
			}
			hasAI := strings.Contains(page, `<section class="ai-summary">`)
			if hasAI != tc.wantAI {
				t.Fatalf("machine-written summary shown = %v, want %v:\n%s", hasAI, tc.wantAI, page)
			}
			if tc.wantAI {
				for _, want := range []string{
					"Chile will build 40,000 homes in Valparaiso",
					"the &lt;b&gt;money&lt;/b&gt; is not there", // escaped, never markup
					"Machine-written from the reports, naming AP, El Mercurio.",
				} {
					if !strings.Contains(page, want) {
						t.Errorf("story page lacks %q", want)
					}
				}
				if strings.Index(page, "ai-summary") > strings.Index(page, `<section class="summary">`) {
					t.Error("machine-written summary is not above the extractive one")
				}
			}

			rec := do(t, h, "GET", "/api/v1/stories/"+itoa(story.ID), nil)
			var detail map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &detail); err != nil {
				t.Fatal(err)
			}
			got, present := detail["ai_summary"]
			if present != tc.wantAI || (tc.wantAI && got != aiReply) {
				t.Errorf("API ai_summary = %v (present %v), want present %v", got, present, tc.wantAI)
			}
			if s, ok := detail["summary"].([]any); !ok || len(s) == 0 {
				t.Errorf("API lost the extractive summary: %v", detail["summary"])
			}
		})
	}
}

func TestAISummaryCachedPerStoryVersion(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	st, story := housingWorld(now)
	chat := &fakeChat{reply: aiReply}
	endpoint := httptest.NewServer(chat)
	defer endpoint.Close()
	sum := llm.New(llm.Config{BaseURL: endpoint.URL + "/v1", Model: "tiny"}, endpoint.Client())
	h := New(st, Options{Now: func() time.Time { return now }, Summarizer: sum})
	path := "/story/" + itoa(story.ID)
	waitFor := func(cond func(page string) bool) string {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			page := do(t, h, "GET", path, nil).Body.String()
			if cond(page) {
				return page
			}
			if time.Now().After(deadline) {
				t.Fatalf("condition not met; last page:\n%s", page)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitFor(func(p string) bool { return strings.Contains(p, "ai-summary") })
	for range 5 {
		do(t, h, "GET", path, nil)
	}
	if n := chat.calls.Load(); n != 1 {
		t.Fatalf("endpoint called %d times for one story version, want 1", n)
	}
	// Another process reading the same store sees the summary without asking.
	other := New(st, Options{Now: func() time.Time { return now }, Summarizer: llm.New(llm.Config{BaseURL: endpoint.URL + "/v1", Model: "tiny"}, endpoint.Client())})
	if page := do(t, other, "GET", path, nil).Body.String(); !strings.Contains(page, "ai-summary") {
		t.Error("summary not shared through the store")
	}
	// With the feature turned off, stored summaries are not shown.
	off := New(st, Options{Now: func() time.Time { return now }})
	if page := do(t, off, "GET", path, nil).Body.String(); strings.Contains(page, "ai-summary") {
		t.Error("summary shown with no summarizer configured")
	}
	if body := do(t, off, "GET", "/api/v1/stories/"+itoa(story.ID), nil).Body.String(); strings.Contains(body, "ai_summary") {
		t.Error("API sends ai_summary with no summarizer configured")
	}

	// New coverage is a new version: the old summary stays up while the
	// model is asked again.
	chat.mu.Lock()
	chat.reply = strings.Replace(aiReply, "40,000", "45,000", 1)
	chat.mu.Unlock()
	st.mu.Lock()
	st.stories[0].Updated = now
	st.stories[0].Articles = 3
	st.mu.Unlock()
	st.addArticle(model.Article{SourceID: 1, URL: "https://apnews.example/chile-2", Title: "Chile raises housing target",
		Published: now, StoryID: story.ID, Text: "The government raised the target to 45,000 homes, AP reported."})
	waitFor(func(p string) bool { return strings.Contains(p, "45,000 homes in Valparaiso") })
	if n := chat.calls.Load(); n != 2 {
		t.Errorf("endpoint called %d times for two story versions, want 2", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
