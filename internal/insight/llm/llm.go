// Package llm adds an optional abstractive story summary from an
// OpenAI-compatible chat-completions endpoint. It is off unless a base URL
// and model are configured; callers keep the extractive summary whenever
// Summarize returns an error (disabled, timeout, bad reply).
package llm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dateline-news/dateline/internal/insight"
)

// KeyEnv is the environment variable holding the API key.
const KeyEnv = "DATELINE_LLM_API_KEY"

// Config configures the summariser. An empty BaseURL or Model leaves it off.
type Config struct {
	BaseURL  string        // e.g. "https://llm.example/v1"; "/chat/completions" is appended
	Model    string        // model name sent in the request
	APIKey   string        // bearer token; ConfigFromEnv fills it from DATELINE_LLM_API_KEY
	Timeout  time.Duration // per request; default 20s
	MaxCache int           // summaries kept in memory; default 1000
}

// ConfigFromEnv returns a Config for baseURL and model with the key from the environment.
func ConfigFromEnv(baseURL, model string) Config {
	return Config{BaseURL: baseURL, Model: model, APIKey: os.Getenv(KeyEnv)}
}

// Errors callers may test for; all mean "keep the extractive summary".
var (
	ErrDisabled  = errors.New("llm summary disabled")
	ErrNoOutlets = errors.New("llm summary names none of the story's outlets")
)

// Summarizer calls the endpoint and caches summaries per story version.
type Summarizer struct {
	cfg    Config
	client *http.Client

	mu    sync.Mutex
	cache map[string]string
	order []string // insertion order, for eviction
}

// New returns a Summarizer, or nil when cfg leaves the feature off. The
// client is used as given (the caller passes its guarded outbound client).
func New(cfg Config, client *http.Client) *Summarizer {
	if strings.TrimSpace(cfg.BaseURL) == "" || strings.TrimSpace(cfg.Model) == "" {
		return nil
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.MaxCache <= 0 {
		cfg.MaxCache = 1000
	}
	if client == nil {
		client = http.DefaultClient
	}
	return &Summarizer{cfg: cfg, client: client, cache: map[string]string{}}
}

// Enabled reports whether summaries will be requested.
func (s *Summarizer) Enabled() bool { return s != nil }

// CacheKey identifies a story version: the story id and its set of article ids,
// so a new or removed article asks for a new summary.
func CacheKey(storyID int64, articleIDs []int64) string {
	ids := append([]int64(nil), articleIDs...)
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	h := sha256.New()
	for _, id := range ids {
		h.Write([]byte(strconv.FormatInt(id, 10)))
		h.Write([]byte{','})
	}
	return strconv.FormatInt(storyID, 10) + ":" + hex.EncodeToString(h.Sum(nil))[:16]
}

// Summarize returns an abstractive summary of the story that names its
// outlets, from the cache when this story version was summarised before.
func (s *Summarizer) Summarize(ctx context.Context, storyID int64, arts []insight.Article) (string, error) {
	if s == nil {
		return "", ErrDisabled
	}
	if len(arts) == 0 {
		return "", errors.New("llm summary: story has no articles")
	}
	ids := make([]int64, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	key := CacheKey(storyID, ids)
	s.mu.Lock()
	if v, ok := s.cache[key]; ok {
		s.mu.Unlock()
		return v, nil
	}
	s.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	text, err := s.complete(ctx, prompt(arts))
	if err != nil {
		return "", fmt.Errorf("llm summary of story %d: %w", storyID, err)
	}
	if !namesOutlet(text, arts) {
		return "", fmt.Errorf("llm summary of story %d: %w", storyID, ErrNoOutlets)
	}
	s.mu.Lock()
	if _, ok := s.cache[key]; !ok {
		s.cache[key] = text
		s.order = append(s.order, key)
		for len(s.order) > s.cfg.MaxCache {
			delete(s.cache, s.order[0])
			s.order = s.order[1:]
		}
	}
	s.mu.Unlock()
	return text, nil
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	Temperature float64       `json:"temperature"`
	MaxTokens   int           `json:"max_tokens"`
}

type chatResponse struct {
	Choices []struct {
		Message chatMessage `json:"message"`
	} `json:"choices"`
}

const systemPrompt = "You summarise news stories for a news aggregator. Use only facts stated in the articles given. " +
	"Write 3 to 5 neutral sentences. Attribute claims to the outlets that reported them by name, " +
	"for example \"(Reuters, AP)\", and say where outlets' accounts differ. No preamble."

// maxArticles and maxChars bound the prompt size.
const (
	maxArticles = 8
	maxChars    = 2000
)

func prompt(arts []insight.Article) string {
	var b strings.Builder
	for i, a := range arts {
		if i == maxArticles {
			break
		}
		if a.CopyOf != 0 {
			continue // a syndicated copy adds no text
		}
		text := a.Text
		if len(text) > maxChars {
			text = text[:maxChars]
			if k := strings.LastIndexAny(text, ".!?"); k > maxChars/2 {
				text = text[:k+1]
			}
		}
		fmt.Fprintf(&b, "Outlet: %s\nHeadline: %s\n%s\n\n", a.Outlet, a.Title, strings.TrimSpace(text))
	}
	return b.String()
}

func (s *Summarizer) complete(ctx context.Context, user string) (string, error) {
	body, err := json.Marshal(chatRequest{
		Model:       s.cfg.Model,
		Messages:    []chatMessage{{Role: "system", Content: systemPrompt}, {Role: "user", Content: user}},
		Temperature: 0.2,
		MaxTokens:   400,
	})
	if err != nil {
		return "", fmt.Errorf("encode request: %w", err)
	}
	url := strings.TrimRight(s.cfg.BaseURL, "/") + "/chat/completions"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if s.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+s.cfg.APIKey)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("post chat completion: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("read chat completion: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("chat completion: status %d", resp.StatusCode)
	}
	var cr chatResponse
	if err := json.Unmarshal(raw, &cr); err != nil {
		return "", fmt.Errorf("decode chat completion: %w", err)
	}
	if len(cr.Choices) == 0 || strings.TrimSpace(cr.Choices[0].Message.Content) == "" {
		return "", errors.New("chat completion: empty reply")
	}
	return strings.TrimSpace(cr.Choices[0].Message.Content), nil
}

func namesOutlet(text string, arts []insight.Article) bool {
	lt := strings.ToLower(text)
	for _, a := range arts {
		if a.Outlet != "" && strings.Contains(lt, strings.ToLower(a.Outlet)) {
			return true
		}
	}
	return false
}
