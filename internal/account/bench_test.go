package account

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkCheckPassword is the cost of one log-in's password check with the
// default argon2id parameters (46 MiB, t=1, p=1).
func BenchmarkCheckPassword(b *testing.B) {
	h, err := HashPassword("correct horse battery", DefaultHashParams)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, _ := CheckPassword("correct horse battery", h); !ok {
			b.Fatal("no match")
		}
	}
}

// BenchmarkComments reads a 200-comment discussion (100 threads of two) from SQLite.
func BenchmarkComments(b *testing.B) {
	ctx := context.Background()
	tdb := sqliteOnly(b)
	s, err := New(tdb.db, SQLite, Options{ReadDB: tdb.rdb, Hash: fastHash, CommentBurst: 1000})
	if err != nil {
		b.Fatal(err)
	}
	u, err := s.CreateUser(ctx, "ann", "correct horse battery", Reader)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		c, err := s.Post(ctx, u, KindStory, 1, 0, fmt.Sprint("comment ", i))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Post(ctx, u, KindStory, 1, c.ID, "reply"); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		cs, err := s.Comments(ctx, User{}, KindStory, 1, Newest)
		if err != nil || len(cs) != 100 {
			b.Fatal(len(cs), err)
		}
	}
}
