// Command feedsite serves a local publisher for trying Dateline at scale:
// many outlets with RSS feeds, small article pages and an OPML list of them,
// spread over loopback addresses 127.0.0.1, 127.0.0.2, … It prints the OPML
// URL and serves until interrupted. GET /_stats and /_fetches?round=N on any
// address report what was requested; POST /_next publishes a new round of
// articles in every feed. See scripts/scaleout-demo.sh.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/dateline-news/dateline/cmd/dateline/testsite"
)

func main() {
	feeds := flag.Int("feeds", 100, "number of outlets, one feed each")
	items := flag.Int("items", 20, "articles each feed publishes per round")
	delay := flag.Duration("delay", 20*time.Millisecond, "how long an article page takes to answer")
	hosts := flag.Int("hosts", 100, "loopback addresses to spread the outlets over")
	port := flag.Int("port", 0, "port on every address (0: pick free ones)")
	flag.Parse()

	site := testsite.New(*feeds, *items, *delay)
	base, stop, err := site.Serve(*hosts, *port)
	if err != nil {
		fmt.Fprintln(os.Stderr, "feedsite:", err)
		os.Exit(1)
	}
	fmt.Printf("opml %s/opml.xml\n", base)
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	<-ctx.Done()
	stop()
}
