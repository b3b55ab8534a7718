package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/dateline-news/dateline/internal/account"
	"github.com/dateline-news/dateline/internal/account/accountweb"
	"github.com/dateline-news/dateline/internal/store"
	"github.com/dateline-news/dateline/internal/store/migrate"
)

// accounts builds the accounts service on the store's own database: the
// store's migrations already created the account tables.
func accounts(st store.Store) (*account.Service, error) {
	h := st.SQL()
	svc, err := account.New(h.DB, account.Dialect(h.Dialect), account.Options{ReadDB: h.ReadDB})
	if err != nil {
		return nil, fmt.Errorf("start accounts: %w", err)
	}
	return svc, nil
}

// commentsHook plugs accounts and comments into the web pages.
func commentsHook(st store.Store, svc *account.Service, trustProxy bool, siteName string) *accountweb.Handler {
	return accountweb.New(svc, accountweb.Options{
		TrustProxy: trustProxy,
		SiteName:   siteName,
		TargetExists: func(ctx context.Context, kind string, id int64) (bool, error) {
			var err error
			switch kind {
			case "story":
				_, err = st.Story(ctx, id)
			case "article":
				_, err = st.Article(ctx, id)
			default:
				return false, nil
			}
			if errors.Is(err, store.ErrNotFound) {
				return false, nil
			}
			return err == nil, err
		},
	})
}

func users(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	const subs = "create, list, suspend, unsuspend or promote"
	if len(args) == 0 {
		return errors.New("users: want " + subs)
	}
	sub, args := args[0], args[1:]
	fs := newFlags("users " + sub)
	dsn := fs.String("database", defaultDatabase, "SQLite file path or postgres:// URL")
	var admin *bool
	var role *string
	switch sub {
	case "create":
		admin = fs.Bool("admin", false, "make the account an administrator")
	case "promote":
		role = fs.String("role", "moderator", "reader, moderator or admin")
	case "list", "suspend", "unsuspend":
	default:
		return fmt.Errorf("users: unknown subcommand %q (want %s)", sub, subs)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	// Check the arguments before opening (and perhaps creating) a database.
	name := fs.Arg(0)
	switch {
	case sub == "list" && fs.NArg() != 0:
		return fmt.Errorf("users list: takes no arguments (got %q)", fs.Args())
	case sub != "list" && fs.NArg() != 1:
		return fmt.Errorf("users %s: give one user name", sub)
	}
	var r account.Role
	if role != nil {
		var err error
		if r, err = account.ParseRole(*role); err != nil {
			return fmt.Errorf("users promote: %w", err)
		}
	}
	var pw string
	if sub == "create" {
		var err error
		if pw, err = readPassword(stdin, "Password for "+name+": "); err != nil {
			return err
		}
	}
	var st store.Store
	var err error
	if sub == "create" {
		st, err = openStore(ctx, *dsn)
	} else {
		st, err = openExisting(ctx, *dsn)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := accounts(st)
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		r := account.Reader
		if *admin {
			r = account.Admin
		}
		u, err := svc.CreateUser(ctx, name, pw, r)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s (%s)\n", u.Username, u.Role)
		return nil
	case "list":
		list, err := svc.ListUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USER\tROLE\tSTATUS\tCREATED")
		for _, u := range list {
			status := "active"
			if u.Suspended {
				status = "suspended"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, u.Role, status, u.Created.UTC().Format(time.DateOnly))
		}
		return tw.Flush()
	case "suspend", "unsuspend":
		if err := svc.Suspend(ctx, name, sub == "suspend"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%sed %s\n", sub, name)
		return nil
	default: // promote
		if err := svc.Promote(ctx, name, r); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is now %s\n", name, r)
		return nil
	}
}

// readPassword prompts without echo on a terminal, else reads one line.
func readPassword(stdin io.Reader, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(os.Stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(os.Stderr)
		return string(b), err
	}
	if stdin == nil {
		return "", errors.New("no password given on stdin")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func migrateCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("migrate")
	from := fs.String("from", defaultDatabase, "source database (SQLite path)")
	to := fs.String("to", "", "target database (postgres:// URL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("migrate: --to is required")
	}
	return migrate.CopyDSN(ctx, *from, *to, stdout)
}
