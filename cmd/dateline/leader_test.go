package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

const twoRecords = `{"id":"1","title":"Harbour bridge reopens after repairs","text":"The harbour bridge reopened on Monday after six weeks of repairs, the city said.","published":"2026-03-02T10:00:00Z","source":"Example Post","url":"https://post.example/bridge","lang":"en"}
{"id":"2","title":"Library extends its opening hours","text":"The central library will open until nine in the evening from next month, the council said.","published":"2026-03-02T11:00:00Z","source":"Example Post","url":"https://post.example/library","lang":"en"}
`

// backends names a fresh database of each kind (PostgreSQL only with
// $DATELINE_TEST_POSTGRES_URL).
var backends = []struct {
	name string
	dsn  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "d.db") }},
	{"postgres", func(t *testing.T) string { return storetest.FreshPostgres(t) }},
}

// TestImportBesideLeader: `dateline import` on a database another process
// clusters (a running server holding the leadership) stores the articles
// and leaves them unclustered for that process; once nobody leads, an
// import clusters what waits.
func TestImportBesideLeader(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.dsn(t)
			jsonl := filepath.Join(t.TempDir(), "c.jsonl")
			if err := os.WriteFile(jsonl, []byte(twoRecords), 0o644); err != nil {
				t.Fatal(err)
			}
			server, err := openStore(ctx, dsn) // the running server's own open
			if err != nil {
				t.Fatal(err)
			}
			defer server.Close()
			l, ok, err := server.TryLeader(ctx, store.ClusterLeader)
			if err != nil || !ok {
				t.Fatalf("lead: %v %v", ok, err)
			}
			var out bytes.Buffer
			if err := run(ctx, []string{"import", jsonl, "--database", dsn}, nil, &out, io.Discard); err != nil {
				t.Fatalf("import beside a leader: %v (%s)", err, out.String())
			}
			for _, want := range []string{"added 2", "clustered 0", "another process (a running server) is clustering"} {
				if !strings.Contains(out.String(), want) {
					t.Fatalf("import printed %q, want %q", out.String(), want)
				}
			}
			waiting, err := server.Unclustered(ctx, 10)
			if err != nil || len(waiting) != 2 {
				t.Fatalf("unclustered after the import: %d %v, want both articles", len(waiting), err)
			}

			l.Release()
			out.Reset()
			if err := run(ctx, []string{"import", jsonl, "--database", dsn}, nil, &out, io.Discard); err != nil {
				t.Fatalf("import with no leader: %v (%s)", err, out.String())
			}
			if !strings.Contains(out.String(), "added 0, already stored 2, clustered 2") || strings.Contains(out.String(), "another process") {
				t.Fatalf("import with no leader printed %q, want both waiting articles clustered", out.String())
			}
		})
	}
}

// TestClustererStopsWhenLeadershipEnds: serve's clustering stage returns
// once its leadership is lost (here: given up under it), without waiting
// for the server to stop, so the leader loop can try again later.
func TestClustererStopsWhenLeadershipEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := openStore(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l, ok, err := st.TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		t.Fatalf("lead: %v %v", ok, err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	done := make(chan struct{})
	go func() { defer close(done); clusterWhileLeading(ctx, st, l, log, nil) }()
	l.Release()
	<-done // the test times out rather than passes if it never returns
	if ctx.Err() != nil || !strings.Contains(logs.String(), "lost the clustering leadership") {
		t.Fatalf("clusterer did not report the lost leadership: %s", logs.String())
	}
	again, ok, err := st.TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		t.Fatalf("leadership not free after the clusterer stopped: %v %v", ok, err)
	}
	again.Release()
}
