// Package media keeps the lead images of articles so readers' browsers never
// contact publishers: each image URL is fetched once through the guarded
// client, decoded (which proves it is an image), re-encoded as JPEG at two
// sizes and stored in the database (table media, created by the store's
// migrations 0004_media.sql), and served by Dateline under /img/{id}.
// Outlets' icons are kept the same way (icon.go).
package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	// Decoders registered with image.Decode: the formats publishers use.
	_ "image/gif"
	_ "image/png"

	_ "golang.org/x/image/webp"

	xdraw "golang.org/x/image/draw"

	"github.com/dateline-news/dateline/internal/fetch"
)

// Limits. An image larger than MaxBytes or MaxPixels is refused before it
// is decoded, so a small file declaring a huge canvas cannot exhaust memory.
const (
	MaxBytes   = 8 << 20
	MaxPixels  = 40_000_000
	MaxSide    = 12_000
	MinWidth   = 200 // smaller is an icon, a spacer or a tracking pixel
	MinHeight  = 100
	CardWidth  = 640
	LargeWidth = 1280
	jpegQ      = 80
	retryAfter = 24 * time.Hour // a failed image is tried again after this
	queueLen   = 256
)

// Sizes served.
const (
	Card  = "card"
	Large = "large"
)

// ErrNotFound is returned by Image when nothing is stored under an id.
var ErrNotFound = errors.New("image not found")

// Getter is the part of the guarded client media uses (a *fetch.Client).
type Getter interface {
	Get(ctx context.Context, url string, cond fetch.Conditional, maxBytes int64) (*fetch.Response, error)
}

// Options tune a Cache; every field is optional.
type Options struct {
	Postgres bool // placeholders $1…; otherwise SQLite's ?
	ReadDB   *sql.DB
	Workers  int // images fetched at once; default 2
	Logger   *slog.Logger
	Now      func() time.Time
}

// Cache stores and serves images. Safe for concurrent use.
type Cache struct {
	db, rdb  *sql.DB
	get      Getter
	opt      Options
	log      *slog.Logger
	queue    chan string
	inflight sync.Map // url (or "icon:" + origin) -> true while queued or fetching
	icons    sync.Map // origin -> iconMemo

	afterFetch func(url string) // tests: called when a worker is done with a URL
}

// New returns a cache over db fetching through get (nil: images already
// stored are served, none are fetched).
func New(db *sql.DB, get Getter, opt Options) *Cache {
	if opt.Workers <= 0 {
		opt.Workers = 2
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	c := &Cache{db: db, rdb: opt.ReadDB, get: get, opt: opt, log: opt.Logger, queue: make(chan string, queueLen)}
	if c.rdb == nil {
		c.rdb = db
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c
}

// ID names the stored copy of url.
func ID(url string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(url)))
	return hex.EncodeToString(sum[:16])
}

// Want asks for url to be fetched in the background; it never blocks (a
// full queue drops the request, a later page view asks again).
func (c *Cache) Want(url string) {
	if c == nil || c.get == nil || !httpURL(url) {
		return
	}
	if _, busy := c.inflight.LoadOrStore(url, true); busy {
		return
	}
	select {
	case c.queue <- url:
	default:
		c.inflight.Delete(url)
	}
}

// Run fetches wanted images until ctx ends.
func (c *Cache) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range c.opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case u := <-c.queue:
					if site, ok := strings.CutPrefix(u, iconPrefix); ok {
						if err := c.FetchIcon(ctx, site); err != nil && ctx.Err() == nil {
							c.log.Debug("outlet icon", "site", site, "err", err)
						}
					} else if err := c.Fetch(ctx, u); err != nil && ctx.Err() == nil {
						c.log.Debug("lead image", "url", u, "err", err)
					}
					c.inflight.Delete(u)
					if c.afterFetch != nil {
						c.afterFetch(u)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// mediaState is what is recorded of one image or icon.
type mediaState int

const (
	unknown         mediaState = iota // never looked for
	stored                            // fetched and kept
	refusedRecently                   // refused within retryAfter: not asked again yet
	refusedLongAgo                    // refused earlier: may be asked again
)

// state reads what db records of media id.
func (c *Cache) state(ctx context.Context, db *sql.DB, id string) (mediaState, error) {
	var ok int
	var fetched int64
	err := db.QueryRowContext(ctx, c.q(`SELECT ok, fetched FROM media WHERE id = ?`), id).Scan(&ok, &fetched)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return unknown, nil
	case err != nil:
		return unknown, err
	case ok == 1:
		return stored, nil
	case c.opt.Now().Sub(time.UnixMicro(fetched)) < retryAfter:
		return refusedRecently, nil
	}
	return refusedLongAgo, nil
}

// Fetch fetches, verifies, resizes and stores url unless it is stored or
// failed recently. A refused image is recorded with its reason so it is not
// fetched again for a day; the error is returned too.
func (c *Cache) Fetch(ctx context.Context, url string) error {
	if c.get == nil {
		return errors.New("fetch image: no client")
	}
	id := ID(url)
	switch st, err := c.state(ctx, c.db, id); {
	case err != nil:
		return fmt.Errorf("look up image %s: %w", url, err)
	case st == stored || st == refusedRecently:
		return nil
	}
	resp, err := c.get.Get(ctx, url, fetch.Conditional{}, MaxBytes)
	var img Processed
	if err == nil {
		img, err = Process(resp.Body, resp.ContentType)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		err = fmt.Errorf("image %s: %w", url, err)
		if serr := c.save(ctx, id, url, Processed{}, err.Error()); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	}
	return c.save(ctx, id, url, img, "")
}

func (c *Cache) save(ctx context.Context, id, url string, p Processed, reason string) error {
	ok := 0
	if reason == "" {
		ok = 1
	}
	_, err := c.db.ExecContext(ctx, c.q(`INSERT INTO media (id, url, ok, error, width, height, card, large, fetched)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET ok = excluded.ok, error = excluded.error, width = excluded.width,
  height = excluded.height, card = excluded.card, large = excluded.large, fetched = excluded.fetched`),
		id, url, ok, reason, p.Width, p.Height, p.Card, p.Large, c.opt.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("store image %s: %w", url, err)
	}
	return nil
}

// Ready returns, of urls, those stored and servable, mapped to their ids.
func (c *Cache) Ready(ctx context.Context, urls []string) (map[string]string, error) {
	out := make(map[string]string)
	if c == nil {
		return out, nil
	}
	byID := make(map[string]string)
	var args []any
	for _, u := range urls {
		if !httpURL(u) {
			continue
		}
		id := ID(u)
		if _, dup := byID[id]; !dup {
			byID[id] = u
			args = append(args, id)
		}
	}
	for len(args) > 0 {
		n := min(len(args), 200)
		batch := args[:n]
		args = args[n:]
		rows, err := c.rdb.QueryContext(ctx, c.q(`SELECT id FROM media WHERE ok = 1 AND id IN (?`+strings.Repeat(", ?", len(batch)-1)+`)`), batch...)
		if err != nil {
			return out, fmt.Errorf("look up images: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return out, fmt.Errorf("look up images: %w", err)
			}
			out[byID[id]] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, fmt.Errorf("look up images: %w", err)
		}
	}
	return out, nil
}

// Image returns the stored copy of id at size: the JPEG at Card or Large,
// or for an outlet icon (Icon) its PNG, which is kept in the card column.
func (c *Cache) Image(ctx context.Context, id, size string) ([]byte, error) {
	col := "card"
	if size == Large {
		col = "large"
	}
	var b []byte
	err := c.rdb.QueryRowContext(ctx, c.q(`SELECT `+col+` FROM media WHERE id = ? AND ok = 1`), id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && len(b) == 0) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read image %s: %w", id, err)
	}
	return b, nil
}

// q rewrites ? placeholders for PostgreSQL.
func (c *Cache) q(query string) string {
	if !c.opt.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func httpURL(u string) bool {
	l := strings.ToLower(strings.TrimSpace(u))
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// Processed is a verified image re-encoded for serving.
type Processed struct {
	Width, Height int    // of the original
	Card, Large   []byte // JPEG
}

// Process verifies that body is a JPEG, PNG, GIF or WebP image of sensible
// size and returns it re-encoded at card and large widths (never enlarged).
// Re-encoding also drops whatever else the file carried (metadata, scripts
// in a polyglot file). contentType may be empty; an explicit non-image type
// is refused.
func Process(body []byte, contentType string) (Processed, error) {
	ct := strings.ToLower(strings.TrimSpace(contentType))
	if ct != "" && !strings.HasPrefix(ct, "image/") && !strings.HasPrefix(ct, "application/octet-stream") && !strings.HasPrefix(ct, "binary/") {
		return Processed{}, fmt.Errorf("not an image: served as %s", contentType)
	}
	if len(body) > MaxBytes {
		return Processed{}, fmt.Errorf("image of %d bytes is over the %d-byte cap", len(body), MaxBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		return Processed{}, fmt.Errorf("not a JPEG, PNG, GIF or WebP image: %w", err)
	}
	switch {
	case cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.Width*cfg.Height > MaxPixels:
		return Processed{}, fmt.Errorf("%s image of %dx%d pixels is too large", format, cfg.Width, cfg.Height)
	case cfg.Width < MinWidth || cfg.Height < MinHeight:
		return Processed{}, fmt.Errorf("%s image of %dx%d pixels is too small for a lead image", format, cfg.Width, cfg.Height)
	}
	src, _, err := image.Decode(bytes.NewReader(body))
	if err != nil {
		return Processed{}, fmt.Errorf("decode %s image: %w", format, err)
	}
	p := Processed{Width: cfg.Width, Height: cfg.Height}
	if p.Card, err = encode(src, CardWidth); err != nil {
		return Processed{}, err
	}
	if p.Large, err = encode(src, LargeWidth); err != nil {
		return Processed{}, err
	}
	return p, nil
}

// encode scales src to at most width pixels wide over a white background
// (JPEG has no transparency) and encodes it.
func encode(src image.Image, width int) ([]byte, error) {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > width {
		h = max(1, h*width/w)
		w = width
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	xdraw.BiLinear.Scale(dst, dst.Bounds(), src, b, draw.Over, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: jpegQ}); err != nil {
		return nil, fmt.Errorf("encode JPEG: %w", err)
	}
	return buf.Bytes(), nil
}
