package web

import (
	"context"
	"encoding/json"
	"testing"
)

// TestFrontPageSections: the hashtags most covered stories share become
// sections, with the stories shown large left out; a tag on one story is not
// a section.
func TestFrontPageSections(t *testing.T) {
	n := newNewsroom(t)
	ctx := context.Background()
	tags := map[int64][]string{
		1:  {"#Harbour", "#Cranes"},
		3:  {"#Elections"},
		4:  {"#Harbour"},
		10: {"#Harbour", "#Libraries"},
		11: {"#Transport"},
		12: {"#Transport"},
	}
	for id, ht := range tags {
		st, err := n.st.Story(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(cachedInsight{View: insightView{Hashtags: ht}})
		if err := n.st.SaveInsight(ctx, id, insightVersion(st), data); err != nil {
			t.Fatal(err)
		}
	}
	s := newServer(n.st, Options{Images: n.images, CacheTTL: -1})
	s.insight.recent(ctx, false) // starts the index build
	s.insight.idxMu.Lock()
	done := s.insight.idxDone
	s.insight.idxMu.Unlock()
	if done != nil {
		<-done
	}
	got := s.sections(ctx, map[int64]bool{1: true})
	want := map[string][]int64{"Harbour": {4, 10}, "Transport": {11, 12}}
	if len(got) != len(want) {
		t.Fatalf("sections %+v, want %v", got, want)
	}
	for _, sec := range got {
		ids := want[sec.Tag]
		if len(sec.Cards) != len(ids) {
			t.Errorf("#%s: %d cards, want %v", sec.Tag, len(sec.Cards), ids)
			continue
		}
		for i, c := range sec.Cards {
			if c.Story.ID != ids[i] {
				t.Errorf("#%s card %d is story %d, want %d", sec.Tag, i, c.Story.ID, ids[i])
			}
		}
	}
	if got[0].Tag != "Harbour" {
		t.Errorf("first section #%s, want the most covered #Harbour", got[0].Tag)
	}
}
