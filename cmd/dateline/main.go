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
	"slices"
	"strings"
	"syscall"
)

// command documents one (sub)command for help; its flags come from the
// command's own flag set, so help never drifts from what is parsed.
type command struct {
	name  string // "feeds add"
	args  string // positional arguments, "URL…"
	about string
}

var commands = []command{
	{"serve", "", "serve pages, the JSON API and feeds; poll feeds and group articles into stories (the default command)"},
	{"feeds list", "", "every feed with its outlet, status, last and next poll, articles and last error"},
	{"feeds add", "URL…", "subscribe to feeds; a web page's address subscribes to the feed it advertises"},
	{"feeds remove", "URL…", "unsubscribe (stored articles stay)"},
	{"feeds import", "FILE.opml", "subscribe to every feed of an OPML list (country/language outline attributes honoured)"},
	{"feeds export", "", "write every subscription as OPML to standard output"},
	{"feeds pause", "URL…", "stop polling feeds until resumed"},
	{"feeds resume", "URL…", "poll paused feeds again"},
	{"feeds set", "URL", "rename a feed's outlet or set its country, language or category"},
	{"feeds rename", "URL NAME", "rename a feed's outlet (the name readers see)"},
	{"import", "FILE.jsonl", "replay a recorded corpus through the pipeline minus fetching; re-importing adds nothing"},
	{"eval extract", "", "score the production extractor on a Zyte-format benchmark folder"},
	{"eval cluster", "", "stream a labelled corpus through the production event and storyline clusterer and score one level"},
	{"rescore", "", "recompute every stored story rank with the current formula"},
	{"eval insight", "", "score entities, quotes and speakers against hand labels"},
	{"users create", "NAME", "create an account (password from the prompt or one line of stdin)"},
	{"users list", "", "every account with its role and status"},
	{"users suspend", "NAME", "suspend an account"},
	{"users unsuspend", "NAME", "lift a suspension"},
	{"users promote", "NAME", "give an account a role"},
	{"migrate", "", "copy a SQLite database to PostgreSQL and verify row counts"},
}

// groups are the commands that only dispatch to subcommands.
var groups = map[string]bool{"feeds": true, "eval": true, "users": true}

const usageHead = `dateline — a self-hosted news aggregator

Usage: dateline [COMMAND] [SUBCOMMAND] [ARGUMENTS] [FLAGS]
Flags may come before or after arguments; "--" ends the flags. Every flag can
also be set as DATELINE_<FLAG>, e.g. DATELINE_DATABASE=/var/lib/dateline.db.
"dateline help COMMAND" or "dateline COMMAND --help" shows one command.
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

func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

// run dispatches a command line; it is main without the process around it,
// so tests can drive the real commands.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	args = commandFirst(args, func(a string) bool { return a == "serve" || a == "import" || a == "migrate" || groups[a] || isHelp(a) })
	if len(args) > 0 && isHelp(args[0]) {
		return help(ctx, stdout, args[1:])
	}
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if groups[cmd] {
		subs := subcommands(cmd)
		args = commandFirst(args, func(a string) bool { return slices.Contains(subs, a) || isHelp(a) })
		if len(args) == 0 {
			printHelp(ctx, stderr, cmd)
			return fmt.Errorf("%s: give a subcommand (%s)", cmd, strings.Join(subs, ", "))
		}
		if isHelp(args[0]) {
			return help(ctx, stdout, append([]string{cmd}, args[1:]...))
		}
	}
	err := dispatch(ctx, cmd, args, stdin, stdout, stderr)
	var h *helpRequest
	if errors.As(err, &h) {
		writeCommandHelp(stdout, h.fs)
		return nil
	}
	return err
}

// commandFirst moves the first (sub)command name to the front when flags
// come before it ("dateline feeds --database x.db list").
func commandFirst(args []string, isCommand func(string) bool) []string {
	if len(args) == 0 || !strings.HasPrefix(args[0], "-") || isHelp(args[0]) {
		return args
	}
	for i, a := range args {
		if a == "--" {
			break
		}
		if isCommand(a) {
			return slices.Concat([]string{a}, args[:i], args[i+1:])
		}
	}
	return args
}

func dispatch(ctx context.Context, cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	switch cmd {
	case "serve":
		return serve(ctx, args, stderr)
	case "feeds":
		return feeds(ctx, args, stdout, stderr)
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
	default:
		fmt.Fprint(stderr, usageHead)
		return fmt.Errorf("unknown command %q (dateline help lists them)", cmd)
	}
}

// subcommands lists the subcommand names of a group, in help order.
func subcommands(group string) []string {
	var out []string
	for _, c := range commands {
		if g, sub, ok := strings.Cut(c.name, " "); ok && g == group {
			out = append(out, sub)
		}
	}
	return out
}

// help prints every command with its flags, or only those under topic
// ("feeds", "feeds add").
func help(ctx context.Context, w io.Writer, topic []string) error {
	t := strings.Join(topic, " ")
	if t != "" && !groups[t] && !known(t) {
		return fmt.Errorf("help: no command %q", t)
	}
	if t == "" {
		fmt.Fprint(w, usageHead)
	}
	printHelp(ctx, w, t)
	return nil
}

func known(name string) bool {
	for _, c := range commands {
		if c.name == name {
			return true
		}
	}
	return false
}

// printHelp writes the help of every command whose name is topic or starts
// with topic and a space ("" matches all).
func printHelp(ctx context.Context, w io.Writer, topic string) {
	for _, c := range commands {
		if topic != "" && c.name != topic && !strings.HasPrefix(c.name, topic+" ") {
			continue
		}
		fmt.Fprintln(w)
		// The command itself builds its flag set and stops at --help, before
		// it opens anything.
		words := strings.Fields(c.name)
		err := dispatch(ctx, words[0], append(words[1:], "--help"), nil, io.Discard, io.Discard)
		var h *helpRequest
		if !errors.As(err, &h) {
			fmt.Fprintf(w, "dateline %s %s\n    %s\n", c.name, c.args, c.about)
			continue
		}
		writeCommandHelp(w, h.fs)
	}
}

// writeCommandHelp prints a command's synopsis, purpose and flags.
func writeCommandHelp(w io.Writer, fs *flag.FlagSet) {
	c := command{name: fs.Name()}
	for _, k := range commands {
		if k.name == fs.Name() {
			c = k
		}
	}
	syn := "dateline " + c.name
	if hasFlags(fs) {
		syn += " [flags]"
	}
	if c.args != "" {
		syn += " " + c.args
	}
	fmt.Fprintln(w, syn)
	if c.about != "" {
		fmt.Fprintf(w, "    %s\n", c.about)
	}
	fs.VisitAll(func(f *flag.Flag) {
		typ, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if typ != "" {
			line += " " + typ
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "0s" {
			usage += fmt.Sprintf(" (default %s)", d)
		}
		fmt.Fprintf(w, "%-32s %s\n", line, usage)
	})
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

func logger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
