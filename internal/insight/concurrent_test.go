package insight

import (
	"context"
	"reflect"
	"sync"
	"testing"
)

// TestStoryConcurrent: stories computed at once (as web requests and the
// background refresh do) share no mutable state and give the same result
// as one at a time. Run with -race to check the first part.
func TestStoryConcurrent(t *testing.T) {
	nt, nato := seed(t, "seed_nato_plan")
	st, sell := seed(t, "seed_selling_weapons")
	arts := []Article{{ID: 1, Title: nt, Text: nato, Outlet: "A"}, {ID: 2, Title: st, Text: sell, Outlet: "B"}}
	want := mustStory(t, arts)
	var wg sync.WaitGroup
	got := make([]Insight, 4)
	errs := make([]error, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = Story(context.Background(), arts)
		}()
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("concurrent run %d differs from a lone run", i)
		}
	}
}
