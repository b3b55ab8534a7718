package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/dateline-news/dateline/internal/store/sqlstore"
	"io/fs"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"

	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/storetest"
	"github.com/dateline-news/dateline/internal/store/storetest/accountstest"
)

func openFresh(t *testing.T) store.Store {
	t.Helper()
	s, err := Open(context.Background(), storetest.FreshPostgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, openFresh)
	t.Run("Accounts", func(t *testing.T) { accountstest.Run(t, openFresh) })
}

// TestSharedDatabase runs what several processes sharing one database do:
// they start at once (migrations apply once), compete for leadership and
// lease feeds from separate connection pools.
func TestSharedDatabase(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.FreshPostgres(t)
	stores := storetest.OpenAtOnce(t, 3, func() (*Store, error) { return Open(ctx, dsn) })
	storetest.AppliedOnce(t, stores[0].W, migrations)

	// Leadership: one process at a time; a dead leader's lock frees itself,
	// and a leader whose session died learns it was deposed.
	first, ok, err := stores[0].TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		t.Fatalf("first leader: %v %v", ok, err)
	}
	if _, ok, err := stores[1].TryLeader(ctx, store.ClusterLeader); err != nil || ok {
		t.Fatalf("second process led too: %v %v", ok, err)
	}
	first.Release()
	second, ok, err := stores[1].TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		t.Fatalf("no leader after release: %v %v", ok, err)
	}
	work, stop := second.Context(ctx)
	defer stop()
	// Kill the leader's session as a crash or a network cut would; the
	// timeout argument makes PostgreSQL wait until the backend has exited
	// (and so freed its locks).
	var pids []int
	rows, err := stores[2].W.QueryContext(ctx, `SELECT pid FROM pg_locks
WHERE locktype = 'advisory' AND pid <> pg_backend_pid()
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			t.Fatal(err)
		}
		pids = append(pids, pid)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(pids) != 1 {
		t.Fatalf("sessions holding advisory locks: %v, want the leader's one", pids)
	}
	var killed bool
	if err := stores[2].W.QueryRowContext(ctx, `SELECT pg_terminate_backend($1, 30000)`, pids[0]).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminate the leader's session: %v %v", killed, err)
	}
	third, ok, err := stores[2].TryLeader(ctx, store.ClusterLeader)
	if err != nil || !ok {
		t.Fatalf("lock of a dead leader not freed: %v %v", ok, err)
	}
	defer third.Release()
	if third.Epoch <= second.Epoch {
		t.Fatalf("epoch %d after %d", third.Epoch, second.Epoch)
	}
	// The deposed leader's ping fails: Lost closes and its work stops (the
	// test times out, rather than passes, if it never does).
	<-second.Lost
	<-work.Done()
	if !errors.Is(context.Cause(work), store.ErrFenced) {
		t.Fatalf("deposed leader's context ended with %v", context.Cause(work))
	}
	second.Release() // after a loss too
	// Its writes are refused meanwhile: the epoch fences them.
	if _, err := stores[1].Assign(ctx, store.Assignment{Story: 1, New: true, Epoch: second.Epoch}); !errors.Is(err, store.ErrFenced) {
		t.Fatalf("deposed leader's write: %v, want ErrFenced", err)
	}

	// Leases across processes: every due feed goes to exactly one owner.
	src, err := stores[0].UpsertSource(ctx, model.Source{Name: "Shared"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i := range 60 {
		if _, _, err := stores[0].AddFeed(ctx, model.Feed{SourceID: src.ID, URL: fmt.Sprintf("https://shared.example/%d", i), NextPoll: now.Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	owner := storetest.DrainLeases(t, []store.Store{stores[0], stores[1], stores[2]}, now, 4)
	if len(owner) != 60 {
		t.Fatalf("%d of 60 feeds leased", len(owner))
	}
}

func TestSearchRanksNewestMatchesOnly(t *testing.T) {
	defer func(n int) { maxRanked = n }(maxRanked)
	storetest.SearchRanksNewestMatchesOnly(t, openFresh(t), func(n int) { maxRanked = n })
}

// TestNewestMatchesWindows checks the windowed probe against the plain
// answer (every match, newest first, cut to n) for words in every, four in
// five, every third, every tenth and only the two oldest articles (so every
// kind of probe runs), with n small enough that the windows must grow
// several times and cross the whole table.
func TestNewestMatchesWindows(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, storetest.FreshPostgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src, err := s.UpsertSource(ctx, model.Source{Name: "Windows"})
	if err != nil {
		t.Fatal(err)
	}
	has := map[string][]int64{} // word -> ids of the articles with it, oldest first
	for i := range 60 {
		title := "harbour"
		if i%3 == 0 {
			title += " lighthouse"
		}
		if i%10 == 0 {
			title += " anchor"
		}
		if i%5 != 0 {
			title += " quay"
		}
		if i < 2 {
			title += " shipwreck"
		}
		a := model.Article{SourceID: src.ID, URL: fmt.Sprintf("https://windows.example/%d", i), Title: title, Published: time.Now()}
		if _, err := s.InsertArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"harbour", "quay", "lighthouse", "anchor", "shipwreck"} {
			if i%3 == 0 && w == "lighthouse" || i%10 == 0 && w == "anchor" || i%5 != 0 && w == "quay" || i < 2 && w == "shipwreck" || w == "harbour" {
				has[w] = append(has[w], a.ID)
			}
		}
	}
	for _, w := range []string{"harbour", "quay", "lighthouse", "anchor", "shipwreck", "nosuchword"} {
		tsq, err := s.tsquery(ctx, w)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 2, 3, 7, 25, 100} {
			var want []int64
			for k := len(has[w]) - 1; k >= 0 && len(want) < n; k-- {
				want = append(want, has[w][k])
			}
			ms, err := s.newestMatches(ctx, tsq, time.Now().UnixMicro(), n)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, m := range ms {
				got = append(got, m.id)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s, n=%d: got %v, want %v", w, n, got, want)
			}
		}
	}
}

// TestMigratesStoriesToStorylines: a database written before storylines
// existed opens with each story its own storyline.
func TestMigratesStoriesToStorylines(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.FreshPostgres(t)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.ApplyMigrations(ctx, tx, storetest.MigrationsBefore(t, sub, storetest.StorylineMarker), sqlstore.Numbered); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	storetest.InsertOldStory(t, db, sqlstore.Numbered)
	db.Close()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckMigratedStory(t, s)
}
