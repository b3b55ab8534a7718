package insight

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestRelatedEntities(t *testing.T) {
	now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	sig := func(id int64, ents ...string) Signature {
		s := Signature{StoryID: id, Updated: now.Add(time.Duration(id) * time.Minute)}
		for _, e := range ents {
			kind := KindPerson
			if len(e) > 2 && e[:2] == "p:" {
				e, kind = e[2:], KindPlace
			}
			s.Entities = append(s.Entities, e)
			s.Kinds = append(s.Kinds, kind)
		}
		return s
	}
	// background: forty stories naming a common disease and a country, with
	// their own distinctive names; the common names say nothing
	var background []Signature
	for i := 0; i < 40; i++ {
		background = append(background, sig(int64(100+i), "Covid", "p:Valdoria", fmt.Sprintf("Person %d", i), fmt.Sprintf("Agency %d", i)))
	}
	self := sig(1, "Marta Quell", "Valdorian Army", "Covid", "p:Valdoria", "p:Port Wren")
	tests := []struct {
		name string
		cand Signature
		want bool
	}{
		{"only common names shared", sig(2, "Covid", "p:Valdoria", "Ivo Pran"), false},
		{"one distinctive name and common ones", sig(3, "Marta Quell", "Covid", "p:Valdoria", "Ivo Pran", "Lena Odd", "Tomas Rye"), false},
		{"two distinctive names", sig(4, "Marta Quell", "Valdorian Army", "Ivo Pran"), true},
		{"same city only", sig(5, "p:Port Wren", "Ivo Pran", "Lena Odd"), false},
		{"small story wholly inside", sig(6, "Marta Quell"), true},
		{"same storyline, nothing shared", Signature{StoryID: 7, Storyline: 9, Entities: []string{"Ivo Pran"}}, true},
	}
	self.Storyline = 9
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands := append(slices.Clone(background), tt.cand, self)
			got := slices.Contains(Related(self, cands, 10), tt.cand.StoryID)
			if got != tt.want {
				t.Errorf("related = %v, want %v", got, tt.want)
			}
		})
	}
	// more shared distinctive names rank higher; the list is newest first
	two, three := sig(10, "Marta Quell", "Valdorian Army"), sig(11, "Marta Quell", "Valdorian Army", "p:Port Wren")
	cands := append(slices.Clone(background), two, three)
	if got := Related(self, cands, 1); fmt.Sprint(got) != "[11]" {
		t.Errorf("Related limit 1 = %v, want the best scoring [11]", got)
	}
	if got := Related(self, cands, 5); fmt.Sprint(got) != "[11 10]" {
		t.Errorf("Related = %v, want [11 10] (most recent first)", got)
	}
}
