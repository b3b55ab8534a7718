package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dateline-news/dateline/internal/media"
	"github.com/dateline-news/dateline/internal/model"
	xhtml "golang.org/x/net/html"
)

// Lead images are served by Dateline from its own copies (internal/media), so
// readers' browsers never contact publishers and the CSP keeps img-src 'self'.

// imagesPerStory bounds how many of a story's article images are candidates
// for its card.
const imagesPerStory = 6

var imageID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// imagePath is where the stored copy of an image is served.
func imagePath(id, size string) string {
	if id == "" {
		return ""
	}
	return "/img/" + id + "?s=" + size
}

func (s *server) serveImage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if s.opt.Images == nil || !imageID.MatchString(id) {
		http.NotFound(w, r)
		return
	}
	size := media.Card
	switch r.URL.Query().Get("s") {
	case media.Large:
		size = media.Large
	case media.Icon:
		size = media.Icon
	}
	b, err := s.opt.Images.Image(r.Context(), id, size)
	if errors.Is(err, media.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.log.Error("image", "id", id, "err", err)
		http.Error(w, "image unavailable", http.StatusServiceUnavailable)
		return
	}
	h := w.Header()
	h.Set("Content-Type", http.DetectContentType(b)) // our own JPEG, or PNG for icons
	h.Set("Content-Length", strconv.Itoa(len(b)))
	// An id names one source URL's bytes, stored once: they never change.
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}

// outletIcon is the path of the stored icon of src's site, or "" when none
// is stored (yet): the lookup then asks for it in the background, at most
// once a day per site, and the page shows the name alone.
func (s *server) outletIcon(src model.Source) string {
	if s.opt.Images == nil || src.HomeURL == "" {
		return ""
	}
	// Templates have no request context; the lookup is one indexed row, and
	// usually answered from memory.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return imagePath(s.opt.Images.IconPath(ctx, src.HomeURL), media.Icon)
}

// storyImages are a story's candidate image URLs, best first: the story's
// own choice, then its articles' (coverage order).
func storyImages(st model.Story, arts []model.Article) []string {
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if u != "" && !seen[u] && len(out) < imagesPerStory {
			seen[u] = true
			out = append(out, u)
		}
	}
	add(st.Image)
	for _, a := range arts {
		add(a.Image)
	}
	return out
}

// readyImages looks up which of urls are stored and asks for the rest to be
// fetched; a lookup error only costs the images.
func (s *server) readyImages(ctx context.Context, urls []string) map[string]string {
	if s.opt.Images == nil || len(urls) == 0 {
		return nil
	}
	ready, err := s.opt.Images.Ready(ctx, urls)
	if err != nil {
		s.log.Warn("images", "err", err)
		return nil
	}
	for _, u := range urls {
		if ready[u] == "" {
			s.opt.Images.Want(u)
		}
	}
	return ready
}

// firstReady is the path of the first of urls that is stored.
func firstReady(urls []string, ready map[string]string, size string) string {
	for _, u := range urls {
		if id := ready[u]; id != "" {
			return imagePath(id, size)
		}
	}
	return ""
}

// localImages rewrites an article body's images to Dateline's copies and
// drops those not stored (yet): a body's <img> must never make the reader's
// browser contact the publisher. body is already sanitized.
func (s *server) localImages(ctx context.Context, body string) string {
	if !strings.Contains(body, "<img") && !strings.Contains(body, "<source") {
		return body
	}
	var srcs []string
	z := xhtml.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		if tt == xhtml.StartTagToken || tt == xhtml.SelfClosingTagToken {
			if t := z.Token(); t.Data == "img" {
				for _, a := range t.Attr {
					if a.Key == "src" {
						srcs = append(srcs, a.Val)
					}
				}
			}
		}
	}
	ready := s.readyImages(ctx, srcs)
	var out bytes.Buffer
	z = xhtml.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			out.Write(z.Raw())
			continue
		}
		t := z.Token()
		switch t.Data {
		case "source":
			continue // <picture> sources point at the publisher; the <img> inside stays
		case "img":
			var src string
			for _, a := range t.Attr {
				if a.Key == "src" {
					src = a.Val
				}
			}
			id := ready[src]
			if id == "" {
				continue
			}
			attrs := []xhtml.Attribute{{Key: "src", Val: imagePath(id, media.Large)}, {Key: "alt"}, {Key: "loading", Val: "lazy"}}
			for _, a := range t.Attr {
				if a.Key == "alt" {
					attrs[1].Val = a.Val
				}
			}
			t.Attr = attrs
			out.WriteString(t.String())
		default:
			out.WriteString(t.String()) // Token() may have unescaped Raw in place
		}
	}
	return out.String()
}
