// Command dateline is the whole news aggregator in one binary: it polls
// publishers' feeds, extracts and stores their articles, groups them into
// stories and serves web pages, a JSON API and feeds.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `dateline — a self-hosted news aggregator

Usage:
  dateline [serve] [--addr 127.0.0.1:8080] [--database PATH|postgres://…] [--poll=true] [--allow-private-networks]
  dateline feeds add|remove|list|import [--database PATH] URL…|FILE.opml
  dateline import [--database PATH] FILE.jsonl
  dateline rescore [--database PATH]
  dateline eval extract --dir DIR
  dateline eval cluster --input FILE.jsonl
  dateline eval insight --labels FILE --data FILE.jsonl
  dateline users create|list|suspend|promote [--database PATH] …
  dateline migrate --from ./dateline.db --to postgres://…

Every flag can also be set as DATELINE_<FLAG>, e.g. DATELINE_DATABASE=/var/lib/dateline.db.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dateline:", err)
		os.Exit(1)
	}
}

// run dispatches a command line; it is main without the process around it,
// so tests can drive the real commands.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stderr)
	case "feeds":
		return feeds(ctx, args, stdout)
	case "import":
		return importCmd(ctx, args, stdout)
	case "rescore":
		return rescoreCmd(ctx, args, stdout)
	case "eval":
		return evalCmd(ctx, args, stdout)
	case "users":
		return users(ctx, args, stdin, stdout)
	case "migrate":
		return migrateCmd(ctx, args, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func logger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
