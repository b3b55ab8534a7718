package insight

import (
	"context"
	"fmt"
	"testing"
)

func BenchmarkPeek(b *testing.B) {
	stories := gvaStories(b)
	for i, arts := range stories {
		if len(arts) < 3 || i%7 != 0 {
			continue
		}
		in, _ := Story(context.Background(), arts)
		fmt.Println("==", arts[0].Title, len(arts))
		fmt.Println("  tags:", in.Hashtags)
		for _, f := range in.Figures {
			fmt.Printf("  fig: %s %s — %s\n", f.Value, f.What, f.SaidBy)
		}
		for _, s := range in.Summary {
			fmt.Printf("  sum: %s %v %s\n", s.Text, s.Outlets, s.Published.Format("Jan 2"))
		}
	}
}
