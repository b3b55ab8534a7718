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
	"github.com/dateline-news/dateline/internal/store"
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
			h, ai, done := aiHandler(st, Options{Now: func() time.Time { return now }, Summarizer: sum})
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
			if n := ai.started.Load(); n != 1 {
				t.Fatalf("the first view started %d summary jobs, want 1", n)
			}

			// Wait for the background job to end (answered, failed or timed
			// out), then look again.
			<-done
			if chat.calls.Load() == 0 {
				t.Fatal("the endpoint was never called")
			}
			page := do(t, h, "GET", path, nil).Body.String()
			// Views after a job ended start no other for this version: a
			// success is cached, a failure waits aiRetry.
			do(t, h, "GET", path, nil)
			if n := ai.started.Load(); n != 1 {
				t.Errorf("%d summary jobs started for one story version, want 1", n)
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
	h, ai, done := aiHandler(st, Options{Now: func() time.Time { return now }, Summarizer: sum})
	path := "/story/" + itoa(story.ID)
	do(t, h, "GET", path, nil)
	if err := <-done; err != nil {
		t.Fatalf("summary job: %v", err)
	}
	if page := do(t, h, "GET", path, nil).Body.String(); !strings.Contains(page, "ai-summary") {
		t.Fatalf("summary not shown after its job ended:\n%s", page)
	}
	for range 5 {
		do(t, h, "GET", path, nil)
	}
	if n, calls := ai.started.Load(), chat.calls.Load(); n != 1 || calls != 1 {
		t.Fatalf("%d jobs and %d endpoint calls for one story version, want 1 and 1", n, calls)
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
	if page := do(t, h, "GET", path, nil).Body.String(); !strings.Contains(page, "40,000 homes in Valparaiso") {
		t.Errorf("the old summary is not shown while the new one is written:\n%s", page)
	}
	if err := <-done; err != nil {
		t.Fatalf("second summary job: %v", err)
	}
	if page := do(t, h, "GET", path, nil).Body.String(); !strings.Contains(page, "45,000 homes in Valparaiso") {
		t.Errorf("new summary not shown after its job ended:\n%s", page)
	}
	if n := chat.calls.Load(); n != 2 {
		t.Errorf("endpoint called %d times for two story versions, want 2", n)
	}
}

// A failed summary is not asked for again until aiRetry has passed on the
// server's clock; then the next view asks once more.
func TestAISummaryRetriesAfterFailure(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	st, story := housingWorld(now)
	chat := &fakeChat{status: http.StatusServiceUnavailable}
	endpoint := httptest.NewServer(chat)
	defer endpoint.Close()
	sum := llm.New(llm.Config{BaseURL: endpoint.URL + "/v1", Model: "tiny"}, endpoint.Client())
	h, ai, done := aiHandler(st, Options{Now: clock, Summarizer: sum})
	path := "/story/" + itoa(story.ID)
	do(t, h, "GET", path, nil)
	if err := <-done; err == nil {
		t.Fatal("the job against a failing endpoint succeeded")
	}
	for _, tc := range []struct {
		advance time.Duration
		jobs    int64
	}{
		{0, 1},
		{aiRetry - time.Second, 1},
		{time.Second, 2}, // aiRetry after the failure
	} {
		mu.Lock()
		now = now.Add(tc.advance)
		mu.Unlock()
		do(t, h, "GET", path, nil)
		if n := ai.started.Load(); n != tc.jobs {
			t.Fatalf("after %v more: %d jobs started, want %d", tc.advance, n, tc.jobs)
		}
	}
	if err := <-done; err == nil {
		t.Fatal("the retry against a failing endpoint succeeded")
	}
	if n := chat.calls.Load(); n != 2 {
		t.Errorf("endpoint called %d times, want 2", n)
	}
}

// aiHandler is the site over st with its background summary jobs
// observable: done receives each job's result as it ends.
func aiHandler(st store.Store, opts Options) (http.Handler, *aiState, chan error) {
	s := newServer(st, opts)
	done := make(chan error, 16)
	s.insight.ai.onDone = func(_ int64, err error) { done <- err }
	return s.handler(), s.insight.ai, done
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
