// Package feedadmin is what an operator does to subscriptions — add (with
// feed discovery), import and export OPML, pause, resume, rename,
// recategorise, remove — shared by the command line and the web admin pages
// so both behave the same.
package feedadmin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dateline-news/dateline/internal/feed"
	"github.com/dateline-news/dateline/internal/fetch"
	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
)

// maxFeedBytes matches the poller's cap on a feed body.
const maxFeedBytes = 10 << 20

// maxCandidates bounds how many advertised feeds of one page are tried.
const maxCandidates = 3

// Getter is the part of the guarded outbound client (a *fetch.Client) used
// to check a URL and discover feeds.
type Getter interface {
	Get(ctx context.Context, url string, cond fetch.Conditional, maxBytes int64) (*fetch.Response, error)
}

// Request asks to subscribe to URL: a feed, or a web page that advertises
// one. The other fields describe the outlet; empty ones are derived (Name:
// the host) or left as stored.
type Request struct {
	URL      string
	Name     string
	Country  string // ISO 3166-1 alpha-2
	Language string // ISO 639-1
	Category string
}

// Added is the outcome of one subscription.
type Added struct {
	Feed    model.Feed
	Created bool   // false: already subscribed
	FoundOn string // the page the feed was discovered on; "" when URL was the feed
	// Warning says why the URL could not be checked now (it was subscribed
	// as given, and /sources will show how its polls go).
	Warning string
}

// Validate normalises a request and refuses what cannot be stored.
func Validate(r Request) (Request, error) {
	r.URL = strings.TrimSpace(r.URL)
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return r, fmt.Errorf("%q is not an http(s) URL", r.URL)
	}
	if len(r.URL) > 2048 {
		return r, errors.New("the URL is longer than 2048 bytes")
	}
	r.Name = strings.Join(strings.Fields(r.Name), " ")
	r.Category = strings.ToLower(strings.Join(strings.Fields(r.Category), " "))
	r.Country = strings.ToUpper(strings.TrimSpace(r.Country))
	r.Language = strings.ToLower(strings.TrimSpace(r.Language))
	switch {
	case utf8.RuneCountInString(r.Name) > 100:
		return r, errors.New("the outlet name is longer than 100 characters")
	case utf8.RuneCountInString(r.Category) > 50:
		return r, errors.New("the category is longer than 50 characters")
	case r.Country != "" && !letters(r.Country, 2, 2):
		return r, fmt.Errorf("country %q: want a two-letter ISO 3166 code such as GB", r.Country)
	case r.Language != "" && !letters(r.Language, 2, 3):
		return r, fmt.Errorf("language %q: want an ISO 639-1 code such as en", r.Language)
	}
	return r, nil
}

func letters(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// Resolve finds the feed to subscribe to for rawURL: rawURL itself when it
// serves a feed, else the first working feed the page advertises with
// <link rel="alternate">. When rawURL cannot be fetched or parsed now (no
// network, a server error, a broken feed) it is kept as given with a
// warning; a page that advertises no feed, or a 4xx answer, is an error.
func Resolve(ctx context.Context, get Getter, rawURL string) (feedURL, foundOn, warning string, err error) {
	resp, err := get.Get(ctx, rawURL, fetch.Conditional{}, maxFeedBytes)
	if err != nil {
		if ctx.Err() != nil {
			return "", "", "", ctx.Err()
		}
		var se *fetch.StatusError
		if errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != 429 {
			return "", "", "", fmt.Errorf("%s answered %d %s", rawURL, se.Code, httpText(se.Code))
		}
		return rawURL, "", "not checked: " + oneLine(err), nil
	}
	_, perr := feed.Parse(resp.Body, resp.ContentType, rawURL)
	if perr == nil {
		return rawURL, "", "", nil
	}
	if !errors.Is(perr, feed.ErrNotFeed) {
		return rawURL, "", "not a valid feed now: " + oneLine(perr), nil
	}
	page := rawURL
	if resp.FinalURL != "" {
		page = resp.FinalURL
	}
	cands := feed.Discover(resp.Body, page)
	if len(cands) == 0 {
		return "", "", "", fmt.Errorf("%s is a web page that advertises no feed (look for its RSS or Atom link)", rawURL)
	}
	var firstWarn string
	for i, c := range cands {
		if i == maxCandidates {
			break
		}
		r, err := get.Get(ctx, c, fetch.Conditional{}, maxFeedBytes)
		if err == nil {
			if _, err = feed.Parse(r.Body, r.ContentType, c); err == nil {
				return c, rawURL, "", nil
			}
		}
		if ctx.Err() != nil {
			return "", "", "", ctx.Err()
		}
		if firstWarn == "" {
			firstWarn = oneLine(err)
		}
	}
	// The page names feeds but none answers now: take its first, as a
	// feed reader would, and say so.
	return cands[0], rawURL, "advertised feed not checked: " + firstWarn, nil
}

func httpText(code int) string {
	switch code {
	case 401, 403:
		return "(access refused)"
	case 404, 410:
		return "(no such page)"
	}
	return ""
}

func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// Add validates req, resolves its URL through get (nil: subscribe as given,
// unchecked) and subscribes, creating or updating the outlet. budget bounds
// the check as in AddAll.
func Add(ctx context.Context, st store.Store, get Getter, req Request, budget time.Duration) (Added, error) {
	r := AddAll(ctx, st, get, []Request{req}, 1, budget)[0]
	return r.Added, r.Err
}

type resolved struct{ feedURL, foundOn, warning string }

func resolve(ctx context.Context, get Getter, raw string) (resolved, error) {
	if get == nil {
		return resolved{feedURL: raw}, nil
	}
	f, on, w, err := Resolve(ctx, get, raw)
	return resolved{f, on, w}, err
}

func save(ctx context.Context, st store.Store, req Request, res resolved) (Added, error) {
	u, err := url.Parse(res.feedURL)
	if err != nil {
		return Added{}, fmt.Errorf("feed URL %q: %w", res.feedURL, err)
	}
	name := req.Name
	if name == "" {
		name = strings.TrimPrefix(u.Hostname(), "www.")
	}
	home := u.Scheme + "://" + u.Host + "/"
	if res.foundOn != "" {
		if p, err := url.Parse(res.foundOn); err == nil {
			home = p.Scheme + "://" + p.Host + "/"
		}
	}
	src, err := st.UpsertSource(ctx, model.Source{Name: name, HomeURL: home, Country: req.Country,
		Language: req.Language, Category: req.Category})
	if err != nil {
		return Added{}, fmt.Errorf("store outlet %q: %w", name, err)
	}
	f, created, err := st.AddFeed(ctx, model.Feed{SourceID: src.ID, URL: res.feedURL})
	if err != nil {
		return Added{}, fmt.Errorf("subscribe to %s: %w", res.feedURL, err)
	}
	return Added{Feed: f, Created: created, FoundOn: res.foundOn, Warning: res.warning}, nil
}

// Result is one entry of AddAll.
type Result struct {
	Request Request
	Added   Added
	Err     error
}

// AddAll subscribes to every request, checking and discovering up to
// workers URLs at once (the client keeps one request at a time per host);
// a failing entry does not stop the others. With budget > 0 the checks
// stop after that long and the URLs not checked yet are subscribed as
// given, with a warning (a web request must answer in time).
func AddAll(ctx context.Context, st store.Store, get Getter, reqs []Request, workers int, budget time.Duration) []Result {
	out := make([]Result, len(reqs))
	res := make([]resolved, len(reqs))
	workers = max(1, workers)
	checkCtx := ctx
	if budget > 0 {
		var cancel context.CancelFunc
		checkCtx, cancel = context.WithTimeout(ctx, budget)
		defer cancel()
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r, err := Validate(reqs[i])
				out[i].Request, out[i].Err = r, err
				if err == nil {
					res[i], out[i].Err = resolve(checkCtx, get, r.URL)
					if out[i].Err != nil && checkCtx.Err() != nil && ctx.Err() == nil {
						res[i] = resolved{feedURL: r.URL, warning: "not checked: no time left to check it"}
						out[i].Err = nil
					}
				}
			}
		}()
	}
	for i := range reqs {
		next <- i
	}
	close(next)
	wg.Wait()
	// Stored one at a time, in list order, so outlets are created once.
	for i := range out {
		if out[i].Err == nil {
			out[i].Added, out[i].Err = save(ctx, st, out[i].Request, res[i])
		}
	}
	return out
}

// maxOPML bounds an OPML document read for import.
const maxOPML = 16 << 20

// ImportOPML subscribes to every feed of an OPML document; budget bounds
// the checks as in AddAll. An outline's OPML 2.0 category attribute (the
// first of its comma-separated values) becomes the outlet's category.
func ImportOPML(ctx context.Context, st store.Store, get Getter, r io.Reader, budget time.Duration) ([]Result, error) {
	doc, err := io.ReadAll(io.LimitReader(r, maxOPML+1))
	if err != nil {
		return nil, fmt.Errorf("read opml: %w", err)
	}
	if len(doc) > maxOPML {
		return nil, fmt.Errorf("read opml: larger than %d MB", maxOPML>>20)
	}
	subs, err := feed.ParseOPML(bytes.NewReader(doc))
	if err != nil {
		return nil, err
	}
	reqs := make([]Request, len(subs))
	for i, s := range subs {
		reqs[i] = Request{URL: s.FeedURL, Name: s.Name, Country: s.Country, Language: s.Language, Category: s.Category}
	}
	return AddAll(ctx, st, get, reqs, 8, budget), nil
}

// ExportOPML writes every subscription as OPML 2.0, one flat outline per
// feed with its outlet's category, country and language; ImportOPML reads
// it back as the same subscriptions.
func ExportOPML(ctx context.Context, st store.Store, w io.Writer) error {
	list, err := st.Feeds(ctx)
	if err != nil {
		return err
	}
	subs := make([]feed.Subscription, 0, len(list))
	for _, f := range list {
		subs = append(subs, feed.Subscription{FeedURL: f.URL, Name: f.Source.Name, HomeURL: f.Source.HomeURL,
			Category: f.Source.Category, Country: f.Source.Country, Language: f.Source.Language})
	}
	return feed.WriteOPML(w, subs)
}

// Remove unsubscribes from the feed at url; its articles stay.
func Remove(ctx context.Context, st store.Store, url string) error {
	return st.RemoveFeed(ctx, url)
}

// Pause stops polling the feed at url; Resume makes it due at once.
func Pause(ctx context.Context, st store.Store, url string, now time.Time) error {
	return st.SetFeedPaused(ctx, url, now)
}

// Resume polls a paused feed again, at once.
func Resume(ctx context.Context, st store.Store, url string) error {
	return st.SetFeedPaused(ctx, url, time.Time{})
}

// Change edits the outlet of a feed; nil fields stay as they are, an empty
// string clears country, language or category.
type Change struct {
	Name, Country, Language, Category *string
}

// Update applies ch to the outlet of the feed at feedURL (an outlet's name,
// country, language and category are shared by all its feeds).
func Update(ctx context.Context, st store.Store, feedURL string, ch Change) (model.Source, error) {
	f, err := Find(ctx, st, feedURL)
	if err != nil {
		return model.Source{}, err
	}
	src := f.Source
	req := Request{URL: f.URL, Name: src.Name, Country: src.Country, Language: src.Language, Category: src.Category}
	for _, c := range []struct {
		from *string
		to   *string
	}{{ch.Name, &req.Name}, {ch.Country, &req.Country}, {ch.Language, &req.Language}, {ch.Category, &req.Category}} {
		if c.from != nil {
			*c.to = *c.from
		}
	}
	req, err = Validate(req)
	if err != nil {
		return model.Source{}, err
	}
	if req.Name == "" {
		return model.Source{}, errors.New("an outlet needs a name")
	}
	if req.Name != src.Name {
		others, err := st.Sources(ctx)
		if err != nil {
			return model.Source{}, err
		}
		for _, o := range others {
			if o.Name == req.Name && o.ID != src.ID {
				return model.Source{}, fmt.Errorf("an outlet named %q exists already", req.Name)
			}
		}
	}
	src.Name, src.Country, src.Language, src.Category = req.Name, req.Country, req.Language, req.Category
	return st.UpdateSource(ctx, src)
}

// Find returns the feed subscribed at url, or store.ErrNotFound.
func Find(ctx context.Context, st store.Store, url string) (model.Feed, error) {
	list, err := st.Feeds(ctx)
	if err != nil {
		return model.Feed{}, err
	}
	for _, f := range list {
		if f.URL == url {
			return f, nil
		}
	}
	return model.Feed{}, fmt.Errorf("feed %s: %w", url, store.ErrNotFound)
}
