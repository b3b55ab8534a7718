package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/open"
)

// newFlags makes a flag set for a subcommand whose errors are returned, not
// fatal, so main decides how to exit.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	return fs
}

// parse reads args, letting DATELINE_<FLAG> environment variables supply any
// flag not given on the command line (e.g. DATELINE_DATABASE for --database).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
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
