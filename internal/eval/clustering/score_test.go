package clustering

import (
	"math"
	"testing"
)

func TestScore(t *testing.T) {
	tests := []struct {
		name       string
		gold, pred []string
		want       Scores
	}{
		{
			name: "perfect",
			gold: []string{"a", "a", "b"}, pred: []string{"x", "x", "y"},
			want: Scores{1, 1, 1, 1, 1, 1},
		},
		{
			// gold {1,2,3}{4,5}; pred {1,2}{3,4,5}
			// pairs: TP = C(2,2)+C(1,2)+C(2,2) = 2; pred pairs 1+3 = 4; gold pairs 3+1 = 4
			// BCubed P = (2²/2 + 1²/3 + 2²/3)/5 = (2 + 1/3 + 4/3)/5 = 11/15
			// BCubed R = (2²/3 + 1²/3 + 2²/2)/5 = (4/3 + 1/3 + 2)/5 = 11/15
			name: "split and merge",
			gold: []string{"g1", "g1", "g1", "g2", "g2"}, pred: []string{"p1", "p1", "p2", "p2", "p2"},
			want: Scores{0.5, 0.5, 0.5, 11.0 / 15, 11.0 / 15, 11.0 / 15},
		},
		{
			// all singletons predicted: no predicted pairs -> pairwise P = 1, R = 0
			// BCubed P = 1, R = (1/2+1/2+1)/3 = 2/3
			name: "all singletons",
			gold: []string{"a", "a", "b"}, pred: []string{"1", "2", "3"},
			want: Scores{1, 0, 0, 1, 2.0 / 3, 0.8},
		},
		{
			// one big cluster: pairwise P = 1/3, R = 1
			// BCubed P = (2²/3 + 1²/3)/3 = 5/9, R = 1
			name: "one cluster",
			gold: []string{"a", "a", "b"}, pred: []string{"x", "x", "x"},
			want: Scores{1.0 / 3, 1, 0.5, 5.0 / 9, 1, 2 * (5.0 / 9) / (5.0/9 + 1)},
		},
		{
			name: "empty",
			want: Scores{1, 1, 1, 0, 0, 0},
		},
	}
	for _, tt := range tests {
		got := Score(tt.gold, tt.pred)
		g := []float64{got.PairwiseP, got.PairwiseR, got.PairwiseF1, got.BCubedP, got.BCubedR, got.BCubedF1}
		w := []float64{tt.want.PairwiseP, tt.want.PairwiseR, tt.want.PairwiseF1, tt.want.BCubedP, tt.want.BCubedR, tt.want.BCubedF1}
		for i := range g {
			if math.Abs(g[i]-w[i]) > 1e-9 {
				t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
				break
			}
		}
	}
}
