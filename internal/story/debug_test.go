package story

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDebugGVA(t *testing.T) {
	path := os.Getenv("DBG_FILE")
	if path == "" {
		t.Skip()
	}
	f, _ := os.Open(path)
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<26)
	type rec struct {
		ID, Cluster, Title, Text, Published, Source string
		t                                           time.Time
	}
	var recs []rec
	for sc.Scan() {
		var r rec
		json.Unmarshal(sc.Bytes(), &r)
		r.t, _ = time.Parse(time.RFC3339, r.Published)
		recs = append(recs, r)
	}
	slices.SortStableFunc(recs, func(a, b rec) int { return a.t.Compare(b.t) })
	cfg := DefaultConfig()
	json.Unmarshal([]byte(os.Getenv("DBG_CFG")), &cfg)
	c := New(cfg, 1)
	if os.Getenv("DBG_WARM") != "" {
		for _, r := range recs {
			_, hs := c.an.analyze(&Doc{Title: r.Title, Text: r.Text, Source: r.Source, Lang: "en"}, c.df)
			c.df.add(hs)
		}
	}
	pred := map[string]int64{}
	feats := map[string]features{}
	out, _ := os.Create("/tmp/dbg/out.txt")
	defer out.Close()
	top := func(f features) string {
		ts := slices.Clone(f.terms)
		slices.SortFunc(ts, func(a, b term) int {
			if a.w > b.w {
				return -1
			}
			return 1
		})
		var b strings.Builder
		for _, t := range ts[:min(15, len(ts))] {
			fmt.Fprintf(&b, "%s:%.2f ", f.disp[t.h], t.w)
		}
		return b.String()
	}
	for i, r := range recs {
		a := c.Add(Doc{ID: int64(i + 1), Title: r.Title, Text: r.Text, Source: r.Source, Lang: "en", Published: r.t})
		pred[r.ID] = a.Story
		f, _ := c.an.analyze(&Doc{Title: r.Title, Text: r.Text, Source: r.Source, Lang: "en"}, c.df)
		feats[r.ID] = f
		fmt.Fprintf(out, "ADD %s gold=%s story=%d new=%v score=%.2f %s | %s\n", r.ID, r.Cluster, a.Story, a.New, a.Score, a.Reason, r.Title)
	}
	{
		type cell struct {
			g string
			p int64
		}
		nij := map[cell]float64{}
		ni := map[string]float64{}
		nj := map[int64]float64{}
		for _, r := range recs {
			nij[cell{r.Cluster, pred[r.ID]}]++
			ni[r.Cluster]++
			nj[pred[r.ID]]++
		}
		var bp, br float64
		for c, n := range nij {
			bp += n * n / nj[c.p]
			br += n * n / ni[c.g]
		}
		bp /= float64(len(recs))
		br /= float64(len(recs))
		fmt.Printf("BCubed P=%.3f R=%.3f F=%.3f\n", bp, br, 2*bp*br/(bp+br))
	}
	if os.Getenv("DBG_DIST") != "" {
		byG := map[string]map[int64]int{}
		for _, r := range recs {
			if byG[r.Cluster] == nil {
				byG[r.Cluster] = map[int64]int{}
			}
			byG[r.Cluster][pred[r.ID]]++
		}
		for g, m := range byG {
			type kv struct {
				k int64
				v int
			}
			var kvs []kv
			tot := 0
			for k, v := range m {
				kvs = append(kvs, kv{k, v})
				tot += v
			}
			slices.SortFunc(kvs, func(a, b kv) int { return b.v - a.v })
			var parts []string
			for _, x := range kvs[:min(12, len(kvs))] {
				parts = append(parts, fmt.Sprintf("%d:%d", x.k, x.v))
			}
			fmt.Printf("GOLD %s n=%d stories=%d %s\n", g[:8], tot, len(kvs), strings.Join(parts, " "))
			if len(kvs) > 1 {
				a, b := c.stories[kvs[0].k], c.stories[kvs[1].k]
				if a != nil && b != nil {
					fmt.Printf("   sim=%.3f  %q | %q\n", c.storySim(a, b), a.headline, b.headline)
				}
			}
		}
	}
	// misses: pairs in same gold cluster but different story
	byGold := map[string][]rec{}
	for _, r := range recs {
		byGold[r.Cluster] = append(byGold[r.Cluster], r)
	}
	for g, rs := range byGold {
		for i := 0; i < len(rs); i++ {
			for j := i + 1; j < len(rs); j++ {
				a, b := rs[i], rs[j]
				if pred[a.ID] != pred[b.ID] && b.t.Sub(a.t) < 60*24*time.Hour {
					fmt.Fprintf(out, "\nMISS %s gap=%v cos=%.3f\n  A %s: %s | %.300s\n    %s\n  B %s: %s | %.300s\n    %s\n", g, b.t.Sub(a.t), dot(feats[a.ID].terms, feats[b.ID].terms),
						a.Source, a.Title, strings.ReplaceAll(a.Text, "\n", " "), top(feats[a.ID]), b.Source, b.Title, strings.ReplaceAll(b.Text, "\n", " "), top(feats[b.ID]))
				}
			}
		}
	}
}
