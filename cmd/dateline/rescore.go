package main

import (
	"context"
	"fmt"
	"io"

	"github.com/dateline-news/dateline/internal/story"
)

// rescoreCmd recomputes every live story's stored score with the current
// rank function, after a release changed the formula: stored scores are
// otherwise only refreshed when a story gains an article.
func rescoreCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("rescore")
	dsn := fs.String("database", defaultDatabase, "SQLite file path or postgres:// URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Rescore(ctx, story.Rank)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rescored %d stories\n", n)
	return nil
}
