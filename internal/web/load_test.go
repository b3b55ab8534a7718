package web

import (
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
)

// BenchmarkConcurrent200 is the latency check: 200 clients at once
// over real TCP against 100,000 stored articles, reporting p50/p99 per
// request. Run: go test -run '^$' -bench Concurrent200 -benchtime 20000x ./internal/web
func BenchmarkConcurrent200(b *testing.B) {
	st := benchDB(b)
	for _, tc := range []struct {
		name, path string
		ttl        time.Duration
		randomID   bool // path + the id of a random stored article
	}{
		{"FrontPage", "/", 0, false},
		{"FrontPageUncached", "/", -1, false},
		{"ArticlesAPI", "/api/v1/articles?limit=50", 0, false},
		{"ArticlesAPIUncached", "/api/v1/articles?limit=50", -1, false},
		{"ArticleByID", "/api/v1/articles/", 0, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			srv := httptest.NewServer(New(st, Options{CacheTTL: tc.ttl}))
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200, MaxConnsPerHost: 200}}
			const clients = 200
			lat := make([][]time.Duration, clients)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						t0 := time.Now()
						path := tc.path
						if tc.randomID {
							path += strconv.Itoa(1 + rand.IntN(benchArticles))
						}
						resp, err := client.Get(srv.URL + path)
						if err != nil {
							b.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != 200 {
							b.Errorf("GET %s: %d", tc.path, resp.StatusCode)
							return
						}
						lat[c] = append(lat[c], time.Since(t0))
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			all := slices.Concat(lat...)
			slices.Sort(all)
			if len(all) > 0 {
				b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}
