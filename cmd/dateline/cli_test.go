package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dateline-news/dateline/internal/store/storetest"
)

// TestFlagsAnywhere runs commands with flags after, between and before their
// arguments: each must use the database named by --database and leave no
// ./dateline.db in the working directory.
func TestFlagsAnywhere(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	jsonl := filepath.Join(dir, "corpus.jsonl")
	rec := `{"id":"1","title":"Harbour bridge reopens after repairs","text":"The harbour bridge reopened on Monday after six weeks of repairs, the city said.","published":"2026-03-02T10:00:00Z","source":"Example Post","url":"https://post.example/bridge","lang":"en"}` + "\n"
	if err := os.WriteFile(jsonl, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	opml := filepath.Join(dir, "list.opml")
	if err := os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="Example Two" xmlUrl="https://two.example/rss" country="fr"/></body></opml>`), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "other.db")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"import, flag after file", []string{"import", jsonl, "--database", db}, "read 1, added 1"},
		{"feeds add, flags after url", []string{"feeds", "add", "https://one.example/rss", "--database", db, "--check=false", "--country", "gb"}, "added 1 feed(s)"},
		{"feeds import, flags around file", []string{"feeds", "import", "--check=false", opml, "--database=" + db}, "imported 1 new feed(s) of 1"},
		{"feeds pause, flag between", []string{"feeds", "pause", "--database", db, "https://one.example/rss"}, "paused https://one.example/rss"},
		{"feeds set, flags after", []string{"feeds", "set", "https://one.example/rss", "--category", "Local", "--database", db}, `category "local"`},
		{"feeds rename, flag after", []string{"feeds", "rename", "https://one.example/rss", "One Gazette", "--database", db}, "outlet renamed One Gazette"},
		{"feeds list shows the new name", []string{"feeds", "list", "--database", db}, "One Gazette"},
		{"feeds list, flag before subcommand", []string{"feeds", "--database", db, "list"}, "https://two.example/rss"},
		{"flag before command", []string{"--database", db, "feeds", "list"}, "https://two.example/rss"},
		{"feeds list", []string{"feeds", "list", "--database", db}, "paused"},
		{"feeds export", []string{"feeds", "export", "--database", db}, `xmlUrl="https://two.example/rss"`},
		{"feeds resume", []string{"feeds", "resume", "https://one.example/rss", "--database", db}, "resumed"},
		{"after --, a dash is an argument", []string{"feeds", "remove", "--database", db, "--", "https://one.example/rss"}, "removed https://one.example/rss"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tc.args, nil, &out, &errb)
			if err != nil {
				t.Fatalf("%q: %v (stderr %s)", tc.args, err, errb.String())
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Fatalf("%q printed %q, want %q", tc.args, out.String(), tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "dateline.db")); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("%q left a stray ./dateline.db", tc.args)
			}
		})
	}
}

// TestCLIAudit: changes made from the command line are in the audit table
// /admin/feeds shows, with who ran them.
func TestCLIAudit(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	ctx := context.Background()
	for _, args := range [][]string{
		{"feeds", "add", "https://one.example/rss", "--check=false"},
		{"feeds", "pause", "https://one.example/rss"},
		{"feeds", "set", "https://one.example/rss", "--name", "One"},
		{"feeds", "remove", "https://none.example/rss"},
	} {
		run(ctx, append(args, "--database", db), nil, io.Discard, io.Discard)
	}
	st, err := openExisting(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	entries, err := st.Audit(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Actor, "cli") {
			t.Errorf("actor %q", e.Actor)
		}
		got = append(got, e.Action+" "+e.Target+" "+e.Detail)
	}
	want := []string{"remove https://none.example/rss refused: remove feed https://none.example/rss: not found",
		"update https://one.example/rss outlet One", "pause https://one.example/rss paused",
		"add https://one.example/rss subscribed to https://one.example/rss"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestErrorsCreateNoDatabase gives commands bad arguments: each must fail
// with a message naming the problem and create no database file.
func TestErrorsCreateNoDatabase(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	db := filepath.Join(dir, "new.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"feeds", "add", "not a url", "--database", db}, "not an http(s) URL"},
		{[]string{"feeds", "add", "--database", db}, "give at least one feed URL"},
		{[]string{"feeds", "add", "https://x.example/rss", "--country", "Britain", "--database", db}, "two-letter"},
		{[]string{"feeds", "add", "https://x.example/rss", "--bogus", "--database", db}, "flag provided but not defined"},
		{[]string{"feeds", "import", filepath.Join(dir, "missing.opml"), "--database", db}, "no such file"},
		{[]string{"feeds", "import", "--database", db}, "give one OPML file"},
		{[]string{"feeds", "list", "--database", db}, "no database at"},
		{[]string{"feeds", "remove", "https://x.example/rss", "--database", db}, "no database at"},
		{[]string{"feeds", "rename", "https://x.example/rss", "--database", db}, "give a feed URL and the outlet's new name"},
		{[]string{"feeds", "rename", "https://x.example/rss", "New Name", "--database", db}, "no database at"},
		{[]string{"feeds", "explode", "--database", db}, "unknown subcommand"},
		{[]string{"feeds"}, "give a subcommand"},
		{[]string{"import", "--database", db}, "give one JSONL file"},
		{[]string{"import", "a.jsonl", "b.jsonl", "--database", db}, "give one JSONL file"},
		{[]string{"import", filepath.Join(dir, "missing.jsonl"), "--database", db}, "no such file"},
		{[]string{"users", "create", "--database", db}, "give one user name"},
		{[]string{"users", "promote", "ann", "--role", "king", "--database", db}, "role"},
		{[]string{"users", "list", "--database", db}, "no database at"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"serve", "now", "--database", db}, "unexpected argument"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			err := run(context.Background(), tc.args, strings.NewReader("pw\n"), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			for _, p := range []string{db, filepath.Join(dir, "dateline.db")} {
				if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("left a database at %s", p)
				}
			}
		})
	}
}

// TestHelp asks for help every way a person would: each lists what it must
// and succeeds without touching a database.
func TestHelp(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var all bytes.Buffer
	if err := run(context.Background(), []string{"help"}, nil, &all, io.Discard); err != nil {
		t.Fatal(err)
	}
	// Every command and every flag of it is listed.
	for _, c := range commands {
		if !strings.Contains(all.String(), "dateline "+c.name) {
			t.Errorf("help lacks %q", c.name)
		}
	}
	for _, flag := range []string{"--addr", "--poll-interval", "--database", "--country", "--category", "--check", "--allow-private-networks", "--admin", "--role", "--from", "--to", "--dir", "--input", "--labels"} {
		if !strings.Contains(all.String(), flag+" ") {
			t.Errorf("help lacks flag %s", flag)
		}
	}
	for _, tc := range []struct {
		args      []string
		want, not string
	}{
		{[]string{"--help"}, "dateline feeds add", ""},
		{[]string{"-h"}, "dateline users promote", ""},
		{[]string{"feeds", "--help"}, "dateline feeds pause", "dateline serve"},
		{[]string{"feeds", "help"}, "dateline feeds export", "dateline users"},
		{[]string{"feeds", "add", "--help"}, "--category", "dateline feeds remove"},
		{[]string{"help", "users"}, "--role", "dateline feeds"},
		{[]string{"serve", "--help"}, "--poll-interval", "dateline feeds"},
		{[]string{"import", "-h"}, "FILE.jsonl", ""},
		{[]string{"eval", "--help"}, "--labels", ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out bytes.Buffer
			if err := run(context.Background(), tc.args, nil, &out, io.Discard); err != nil {
				t.Fatalf("%q: %v", tc.args, err)
			}
			if !strings.Contains(out.String(), tc.want) || (tc.not != "" && strings.Contains(out.String(), tc.not)) {
				t.Fatalf("%q printed:\n%s\nwant %q and not %q", tc.args, out.String(), tc.want, tc.not)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("help left files: %v", entries)
	}
	if err := run(context.Background(), []string{"help", "nonsense"}, nil, io.Discard, io.Discard); err == nil {
		t.Fatal("help for an unknown command succeeded")
	}
}

// TestFeedsCommandsPostgres runs the feeds commands against PostgreSQL: the
// same subscriptions, pause, outlet edit, audit and export as on SQLite.
func TestFeedsCommandsPostgres(t *testing.T) {
	dsn := storetest.FreshPostgres(t)
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"feeds", "add", "https://one.example/rss", "--check=false", "--database", dsn, "--country", "fj"}, "added 1 feed(s)"},
		{[]string{"feeds", "pause", "https://one.example/rss", "--database", dsn}, "paused"},
		{[]string{"feeds", "set", "https://one.example/rss", "--category", "pacific", "--database", dsn}, `category "pacific"`},
		{[]string{"feeds", "list", "--database", dsn}, "paused"},
		{[]string{"feeds", "export", "--database", dsn}, `category="pacific" country="FJ"`},
	} {
		var out bytes.Buffer
		if err := run(ctx, tc.args, nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), tc.want) {
			t.Fatalf("%q: %v, printed %q, want %q", tc.args, err, out.String(), tc.want)
		}
	}
	st, err := openExisting(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if entries, err := st.Audit(ctx, 10); err != nil || len(entries) != 3 {
		t.Fatalf("audit entries %+v, %v", entries, err)
	}
}
