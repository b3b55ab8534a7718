package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/storetest"
)

const crashEnv = "DATELINE_SQLITE_CRASH_DB"

// TestCrashChild is the process TestKill9 kills: it inserts articles and
// clusters every fifth into a story, printing each committed insert.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("run by TestKill9")
	}
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	src, err := s.UpsertSource(ctx, model.Source{Name: "Crash", Country: "US"})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	for i := 0; ; i++ {
		a := model.Article{SourceID: src.ID, URL: fmt.Sprintf("https://crash.example/%d", i), GUID: strconv.Itoa(i), Title: "t", Text: strings.Repeat("words ", 200)}
		if _, err := s.InsertArticle(ctx, &a); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Printf("ok %d %d\n", i, a.ID)
		if i%5 == 0 {
			if _, err := s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: int64(1 + i/50)}); err != nil {
				fmt.Println("error", err)
				os.Exit(1)
			}
		}
	}
}

// TestKill9 kills a writing process mid-ingest and checks that every
// insert it reported committed survived, that re-ingesting creates no
// duplicates and that story aggregates match their articles.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed := map[int]int64{}
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(committed) < 400 {
		var i int
		var id int64
		if _, err := fmt.Sscanf(sc.Text(), "ok %d %d", &i, &id); err != nil {
			continue // test framework chatter or an error line
		}
		committed[i] = id
	}
	cmd.Process.Kill() // SIGKILL: no chance to close anything
	go func() {
		for sc.Scan() { // drain so the child never blocks on a full pipe
		}
	}()
	cmd.Wait()
	if len(committed) < 400 {
		t.Fatalf("child committed only %d articles", len(committed))
	}

	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var check string
	if err := s.W.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check: %q %v", check, err)
	}
	for i, id := range committed {
		a, err := s.Article(ctx, id)
		if err != nil || a.URL != fmt.Sprintf("https://crash.example/%d", i) {
			t.Fatalf("committed article %d (id %d) lost: %v", i, id, err)
		}
	}
	// Re-ingest everything the child may have touched (and a bit more).
	src, err := s.UpsertSource(ctx, model.Source{Name: "Crash"})
	if err != nil {
		t.Fatal(err)
	}
	var total int
	if err := s.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	n := total + 20
	for i := range n {
		a := model.Article{SourceID: src.ID, URL: fmt.Sprintf("https://crash.example/%d", i), GUID: strconv.Itoa(i)}
		created, err := s.InsertArticle(ctx, &a)
		if err != nil {
			t.Fatal(err)
		}
		if id, ok := committed[i]; ok && (created || a.ID != id) {
			t.Fatalf("article %d re-inserted: created=%v id %d, was %d", i, created, a.ID, id)
		}
	}
	if err := s.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&total); err != nil || total != n {
		t.Fatalf("%d rows for %d distinct articles (%v)", total, n, err)
	}
	// Each story's aggregate matches its articles: Assign was all or nothing.
	rows, err := s.W.QueryContext(ctx, `SELECT t.id, t.articles, (SELECT COUNT(*) FROM articles a WHERE a.story_id = t.id) FROM stories t`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, agg, real int64
		if err := rows.Scan(&id, &agg, &real); err != nil {
			t.Fatal(err)
		}
		if agg != real {
			t.Errorf("story %d says %d articles, has %d", id, agg, real)
		}
	}
}

// TestTwoProcessesShareFile opens the file twice (as a server and a CLI
// command would) and has both write while readers read: busy handling must
// make every call succeed.
func TestTwoProcessesShareFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	// Concurrent first open: migrations must apply once.
	stores := storetest.OpenAtOnce(t, 2, func() (*Store, error) { return Open(ctx, path) })
	storetest.AppliedOnce(t, stores[0].W, migrations)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	src, err := stores[0].UpsertSource(ctx, model.Source{Name: "Shared"})
	if err != nil {
		t.Fatal(err)
	}
	const perWriter = 150
	for w := range 4 {
		s := stores[w%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				a := model.Article{SourceID: src.ID, URL: fmt.Sprintf("https://shared.example/%d/%d", w, i), Title: "shared words"}
				if _, err := s.InsertArticle(ctx, &a); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
				if _, err := s.Assign(ctx, store.Assignment{ArticleID: a.ID, Story: int64(w + 1)}); err != nil {
					errs <- fmt.Errorf("writer %d assign: %w", w, err)
					return
				}
			}
		}()
	}
	for r := range 4 {
		s := stores[r%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if _, _, err := s.Articles(ctx, store.ArticleQuery{Limit: 20}); err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
					return
				}
				if _, err := s.Search(ctx, "shared", 10); err != nil {
					errs <- fmt.Errorf("reader %d search: %w", r, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for w := range 4 {
		st, err := stores[1].Story(ctx, int64(w+1))
		if err != nil || st.Articles != perWriter {
			t.Errorf("story %d: %+v %v", w+1, st, err)
		}
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "dir", "dateline.db") // directories are created
	s, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertSource(ctx, model.Source{Name: "Kept"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.Sources(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "Kept" {
		t.Fatalf("after reopen: %+v %v", list, err)
	}
	var mode string
	if err := s.W.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q %v", mode, err)
	}
	if _, err := s.R.ExecContext(ctx, `DELETE FROM sources`); err == nil {
		t.Fatal("reader pool accepted a write")
	}
	for _, bad := range []string{":memory:", "x.db?mode=ro", ""} {
		if _, err := Open(ctx, bad); err == nil {
			t.Errorf("Open(%q) accepted", bad)
		}
	}
}
