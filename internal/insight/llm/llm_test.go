package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/insight"
)

var story = []insight.Article{
	{ID: 10, Title: "Trump tells NATO to donate weapons to Kyiv", Text: "Trump and NATO Secretary General Mark Rutte devised the plan.", Outlet: "Daily8"},
	{ID: 11, Title: "US is selling weapons to NATO allies", Text: "The United States is selling weapons to its NATO allies.", Outlet: "Yomiuri Shimbun"},
	{ID: 12, Title: "US is selling weapons to NATO allies", Text: "The United States is selling weapons to its NATO allies.", Outlet: "AP News", CopyOf: 11},
}

// fakeEndpoint answers chat completions with reply, recording calls and the last request.
func fakeEndpoint(t *testing.T, status int, reply string, delay time.Duration) (*httptest.Server, *atomic.Int32, *chatRequest) {
	t.Helper()
	var calls atomic.Int32
	var last chatRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		if got := r.Header.Get("Authorization"); got != "Bearer sekrit" {
			http.Error(w, "bad key "+got, http.StatusUnauthorized)
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&last); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		if status != http.StatusOK {
			http.Error(w, "boom", status)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": reply}}}})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls, &last
}

func TestSummarizeAndCache(t *testing.T) {
	reply := "The US will sell weapons to NATO allies for Ukraine (Yomiuri Shimbun, AP News); Daily8 says details are unsettled."
	srv, calls, last := fakeEndpoint(t, http.StatusOK, reply, 0)
	s := New(Config{BaseURL: srv.URL + "/v1/", Model: "tiny", APIKey: "sekrit"}, srv.Client())
	ctx := context.Background()
	got, err := s.Summarize(ctx, 7, story)
	if err != nil {
		t.Fatal(err)
	}
	if got != reply {
		t.Errorf("summary = %q", got)
	}
	if last.Model != "tiny" || len(last.Messages) != 2 {
		t.Fatalf("request = %+v", last)
	}
	user := last.Messages[1].Content
	for _, want := range []string{"Outlet: Daily8", "Outlet: Yomiuri Shimbun", "Mark Rutte"} {
		if !strings.Contains(user, want) {
			t.Errorf("prompt lacks %q:\n%s", want, user)
		}
	}
	if strings.Contains(user, "Outlet: AP News") {
		t.Error("prompt repeats the syndicated copy")
	}
	// same story version: cached, in any article order
	rev := []insight.Article{story[2], story[0], story[1]}
	if _, err := s.Summarize(ctx, 7, rev); err != nil || calls.Load() != 1 {
		t.Errorf("second call: err %v, endpoint calls %d, want 1", err, calls.Load())
	}
	// a new article makes a new version
	more := append(append([]insight.Article(nil), story...), insight.Article{ID: 13, Text: "More.", Outlet: "CBC"})
	if _, err := s.Summarize(ctx, 7, more); err != nil || calls.Load() != 2 {
		t.Errorf("new version: err %v, endpoint calls %d, want 2", err, calls.Load())
	}
}

func TestSummarizeFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("disabled", func(t *testing.T) {
		s := New(Config{Model: "tiny"}, nil)
		if s.Enabled() {
			t.Fatal("enabled without a base URL")
		}
		if _, err := s.Summarize(ctx, 1, story); !errors.Is(err, ErrDisabled) {
			t.Errorf("err = %v, want ErrDisabled", err)
		}
	})
	t.Run("server error", func(t *testing.T) {
		srv, _, _ := fakeEndpoint(t, http.StatusInternalServerError, "", 0)
		s := New(Config{BaseURL: srv.URL + "/v1", Model: "tiny", APIKey: "sekrit"}, srv.Client())
		if _, err := s.Summarize(ctx, 1, story); err == nil {
			t.Error("no error on status 500")
		}
	})
	t.Run("timeout", func(t *testing.T) {
		srv, _, _ := fakeEndpoint(t, http.StatusOK, "Daily8 says so.", 2*time.Second)
		s := New(Config{BaseURL: srv.URL + "/v1", Model: "tiny", APIKey: "sekrit", Timeout: 50 * time.Millisecond}, srv.Client())
		start := time.Now()
		_, err := s.Summarize(ctx, 1, story)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want deadline exceeded", err)
		}
		if time.Since(start) > time.Second {
			t.Error("timeout not enforced")
		}
	})
	t.Run("reply names no outlet", func(t *testing.T) {
		srv, calls, _ := fakeEndpoint(t, http.StatusOK, "Weapons will be sold.", 0)
		s := New(Config{BaseURL: srv.URL + "/v1", Model: "tiny", APIKey: "sekrit"}, srv.Client())
		if _, err := s.Summarize(ctx, 1, story); !errors.Is(err, ErrNoOutlets) {
			t.Errorf("err = %v, want ErrNoOutlets", err)
		}
		s.Summarize(ctx, 1, story)
		if calls.Load() != 2 {
			t.Error("a rejected reply was cached")
		}
	})
}

func TestCacheKey(t *testing.T) {
	if CacheKey(1, []int64{3, 2}) != CacheKey(1, []int64{2, 3}) {
		t.Error("key depends on article order")
	}
	if CacheKey(1, []int64{2, 3}) == CacheKey(2, []int64{2, 3}) || CacheKey(1, []int64{2}) == CacheKey(1, []int64{2, 3}) {
		t.Error("key ignores story id or article set")
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv(KeyEnv, "from-env")
	if c := ConfigFromEnv("http://x/v1", "m"); c.APIKey != "from-env" {
		t.Errorf("APIKey = %q", c.APIKey)
	}
}
