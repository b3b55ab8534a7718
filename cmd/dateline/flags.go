package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/open"
)

// newFlags makes a flag set for a subcommand whose errors are returned, not
// printed or fatal: run prints help and errors once, where it chooses.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// helpRequest is returned by parse when the command line asks for help
// (-h, --help): run prints the command's synopsis and flags from fs.
type helpRequest struct{ fs *flag.FlagSet }

func (h *helpRequest) Error() string        { return h.fs.Name() + ": help requested" }
func (h *helpRequest) Is(target error) bool { return target == flag.ErrHelp }

// parse reads args, accepting flags before, between and after positional
// arguments (everything after a bare "--" is positional), and lets
// DATELINE_<FLAG> environment variables supply any flag not given on the
// command line (e.g. DATELINE_DATABASE for --database). The positional
// arguments are fs.Args() afterwards.
func parse(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		before := args
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return &helpRequest{fs}
			}
			return fmt.Errorf("%s: %w (see dateline %s --help)", fs.Name(), err, fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if used := len(before) - len(args); used > 0 && before[used-1] == "--" {
			pos = append(pos, args...) // the flag package stopped at "--"
			break
		}
		pos, args = append(pos, args[0]), args[1:]
	}
	// Leave the positional arguments where fs.Args() finds them.
	if err := fs.Parse(append([]string{"--"}, pos...)); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		env := "DATELINE_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %w", env, v, e)
			}
		}
	})
	return err
}

// openStore opens the database every subcommand works on: a SQLite path or a
// postgres:// URL, migrated to the current schema.
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	st, err := open.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", dsn, err)
	}
	return st, nil
}

// openExisting opens a database that must already exist: commands that only
// read or change what is there never leave a new empty SQLite file behind.
func openExisting(ctx context.Context, dsn string) (store.Store, error) {
	if !open.IsPostgres(dsn) {
		path := dsn
		for _, p := range []string{"sqlite://", "sqlite:", "file:"} {
			path = strings.TrimPrefix(path, p)
		}
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s (give --database, or create one with dateline serve, feeds add or import)", dsn)
		}
	}
	return openStore(ctx, dsn)
}
