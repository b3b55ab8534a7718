package web

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/store"
)

// BenchmarkSearchFlood measures story pages while 200 clients search
// without pause (distinct two-word queries, which no cache absorbs): p50/p99
// of the story pages, and how many searches were answered or shed. "Shared"
// is the old arrangement, search in the story pages' gate with no bound on
// its queue; "Isolated" is the search gate as shipped.
// Run: go test -run '^$' -bench SearchFlood -benchtime 400x ./internal/web
func BenchmarkSearchFlood(b *testing.B) {
	st := benchDB(b)
	stories, _, err := st.Stories(context.Background(), store.StoryQuery{Limit: 50})
	if err != nil || len(stories) == 0 {
		b.Fatalf("stories: %d, %v", len(stories), err)
	}
	for _, shared := range []bool{true, false} {
		name := "Isolated"
		if shared {
			name = "Shared"
		}
		b.Run(name, func(b *testing.B) {
			s := newServer(st, Options{})
			if shared {
				s.searchGate = s.slowGate
			}
			srv := httptest.NewServer(s.handler())
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
			get := func(path string) (int, error) {
				resp, err := client.Get(srv.URL + path)
				if err != nil {
					return 0, err
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp.StatusCode, nil
			}
			// Warm the story pages' insight so the figures are of serving, not computing.
			for _, story := range stories {
				if code, err := get("/story/" + strconv.FormatInt(story.ID, 10)); err != nil || code != 200 {
					b.Fatalf("warm story %d: %d %v", story.ID, code, err)
				}
			}

			stop := make(chan struct{})
			var answered, shed atomic.Int64
			var flood sync.WaitGroup
			for c := range 200 {
				flood.Go(func() {
					r := rand.New(rand.NewPCG(uint64(c), 7))
					for {
						select {
						case <-stop:
							return
						default:
						}
						q := benchWords[r.IntN(len(benchWords))] + "+" + benchWords[r.IntN(len(benchWords))]
						code, err := get("/api/v1/search?q=" + q)
						switch {
						case err != nil:
							return
						case code == http.StatusOK:
							answered.Add(1)
						case code == http.StatusServiceUnavailable:
							shed.Add(1)
						}
					}
				})
			}

			const readers = 4
			lat := make([][]time.Duration, readers)
			var next atomic.Int64
			var wg sync.WaitGroup
			start := time.Now()
			b.ResetTimer()
			for c := range readers {
				wg.Go(func() {
					for i := next.Add(1); i <= int64(b.N); i = next.Add(1) {
						path := "/story/" + strconv.FormatInt(stories[int(i)%len(stories)].ID, 10)
						t0 := time.Now()
						code, err := get(path)
						if err != nil || code != 200 {
							b.Errorf("GET %s: %d %v", path, code, err)
							return
						}
						lat[c] = append(lat[c], time.Since(t0))
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			elapsed := time.Since(start)
			close(stop)
			flood.Wait()
			all := slices.Concat(lat...)
			slices.Sort(all)
			if len(all) > 0 {
				b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "story-p50-ms")
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "story-p99-ms")
			}
			b.ReportMetric(float64(answered.Load())/elapsed.Seconds(), "searches/s")
			b.ReportMetric(float64(shed.Load())/elapsed.Seconds(), "shed/s")
		})
	}
}
