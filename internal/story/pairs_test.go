package story

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"
)

func TestPairsGVA(t *testing.T) {
	path := os.Getenv("DBG_FILE")
	if path == "" || os.Getenv("DBG_PAIRS") == "" {
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
	var feats []features
	for i, r := range recs {
		a := c.Add(Doc{ID: int64(i + 1), Title: r.Title, Text: r.Text, Source: r.Source, Lang: "en", Published: r.t})
		_ = a
		f, _ := c.an.analyze(&Doc{Title: r.Title, Text: r.Text, Source: r.Source, Lang: "en"}, c.df)
		feats = append(feats, f)
	}
	type pair struct {
		s   float64
		pos bool
	}
	var ps []pair
	npos := 0
	for i := range recs {
		for j := i + 1; j < len(recs) && recs[j].t.Sub(recs[i].t) <= 3*24*time.Hour; j++ {
			p := pair{pairSim(feats[i].terms, feats[j].terms), recs[i].Cluster == recs[j].Cluster}
			if !p.pos && p.s > 0.3 && os.Getenv("DBG_FP") != "" {
				fmt.Printf("FP %.2f\n  %s %s %s | %.200s\n  %s %s %s | %.200s\n", p.s, recs[i].Cluster, recs[i].Source, recs[i].Title, recs[i].Text, recs[j].Cluster, recs[j].Source, recs[j].Title, recs[j].Text)
			}
			ps = append(ps, p)
			if p.pos {
				npos++
			}
		}
	}
	slices.SortFunc(ps, func(a, b pair) int {
		if a.s > b.s {
			return -1
		}
		return 1
	})
	tp, best, bestS := 0, 0.0, 0.0
	for k, p := range ps {
		if p.pos {
			tp++
		}
		pr, rc := float64(tp)/float64(k+1), float64(tp)/float64(npos)
		if f := 2 * pr * rc / (pr + rc); f > best {
			best, bestS = f, p.s
		}
		if k%2000 == 0 || (k < 3000 && k%200 == 0) {
			fmt.Printf("k=%d s=%.3f P=%.3f R=%.3f\n", k, p.s, pr, rc)
		}
	}
	fmt.Printf("pairs=%d pos=%d bestF1=%.3f at %.3f\n", len(ps), npos, best, bestS)
}

var beta = 1.0
var mode = os.Getenv("DBG_MODE")

func sub(ts []term, keep func(term) bool) []term {
	var out []term
	for _, t := range ts {
		if keep(t) {
			out = append(out, t)
		}
	}
	normalize(out)
	return out
}

func pairSim(a, b []term) float64 {
	all := dot(a, b)
	isName := func(t term) bool { return t.k != kWord }
	na, nb := sub(a, isName), sub(b, isName)
	nm := dot(na, nb)
	switch mode {
	case "name":
		return nm
	case "sum":
		return all + nm
	case "max":
		return max(all, nm)
	case "prod":
		return all * nm
	case "geo":
		return (all + 0.01) * (nm + 0.01)
	}
	return all
}
