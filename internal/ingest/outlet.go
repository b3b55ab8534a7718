package ingest

import (
	"context"
	"net/url"

	"github.com/dateline-news/dateline/internal/model"
	"github.com/dateline-news/dateline/internal/outlet"
)

// nameOutlet replaces a host-derived outlet name (what `feeds add` gives
// without --name) with the feed's title or the page's og:site_name. A name
// an operator chose is never touched; a name another outlet holds is left.
func (p *Poller) nameOutlet(ctx context.Context, f model.Feed, feedTitle, siteName string) {
	if !outlet.AutoNamed(f.Source.Name, f.Source.HomeURL) {
		return
	}
	host := f.Source.Name
	if u, err := url.Parse(f.URL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	name := outlet.Name(feedTitle, siteName, host)
	if name == "" || outlet.AutoNamed(name, f.Source.HomeURL) || name == f.Source.Name {
		return
	}
	if err := p.st.SetSourceName(ctx, f.SourceID, name); err != nil {
		p.opts.Logger.Debug("name outlet", "feed", f.URL, "name", name, "err", err)
	}
}
