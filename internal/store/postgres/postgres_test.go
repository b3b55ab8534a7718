package postgres

import (
	"context"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/model"

	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/storetest"
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
}

// TestSharedDatabase runs what several processes sharing one database do:
// they start at once (migrations apply once), compete for leadership and
// lease feeds from separate connection pools.
func TestSharedDatabase(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.FreshPostgres(t)
	stores := make([]*Store, 3)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(ctx, dsn)
			if err != nil {
				errs <- err
				return
			}
			stores[i] = s
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	for _, s := range stores {
		defer s.Close()
	}
	files, _ := fs.Glob(migrations, "migrations/*.sql")
	var applied int
	if err := stores[0].W.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil || applied != len(files) {
		t.Fatalf("schema_migrations rows: %d for %d files (%v)", applied, len(files), err)
	}

	// Leadership: one process at a time; a dead leader's lock frees itself.
	release, ok, err := stores[0].TryLeader(ctx, "cluster")
	if err != nil || !ok {
		t.Fatalf("first leader: %v %v", ok, err)
	}
	if _, ok, err := stores[1].TryLeader(ctx, "cluster"); err != nil || ok {
		t.Fatalf("second process led too: %v %v", ok, err)
	}
	release()
	_, ok, err = stores[1].TryLeader(ctx, "cluster")
	if err != nil || !ok {
		t.Fatalf("no leader after release: %v %v", ok, err)
	}
	// Kill the leader's session as a crash would.
	if _, err := stores[2].W.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_locks
WHERE locktype = 'advisory' AND pid <> pg_backend_pid()
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		rel, ok, err := stores[2].TryLeader(ctx, "cluster")
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			rel()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("lock of a dead leader never freed")
		}
		time.Sleep(50 * time.Millisecond)
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
	var mu sync.Mutex
	owner := map[int64]string{}
	for i, s := range stores {
		name := fmt.Sprintf("process-%d", i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.LeaseDueFeeds(ctx, name, now, 4, time.Hour)
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, f := range got {
					if prev, dup := owner[f.ID]; dup {
						errs <- fmt.Errorf("feed %d leased by %s and %s", f.ID, prev, name)
					}
					owner[f.ID] = name
				}
				mu.Unlock()
				for _, f := range got {
					f.NextPoll = now.Add(time.Hour)
					if err := s.SaveFeedState(ctx, f); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(owner) != 60 {
		t.Fatalf("%d of 60 feeds leased", len(owner))
	}
}

func TestSearchRanksNewestMatchesOnly(t *testing.T) {
	defer func(n int) { maxRanked = n }(maxRanked)
	storetest.SearchRanksNewestMatchesOnly(t, openFresh(t), func(n int) { maxRanked = n })
}
