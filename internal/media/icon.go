package media

// Outlet icons: each outlet's favicon or touch icon, found on its home page
// (or at the conventional /apple-touch-icon.png and /favicon.ico), fetched
// through the same guarded client, verified by decoding and stored in the
// same media table as a small square PNG under the key "icon:" + the site's
// origin. A site without a usable icon is remembered for a day like any
// refused image, so it is asked at most once a day.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	xdraw "golang.org/x/image/draw"
	xhtml "golang.org/x/net/html"

	"github.com/dateline-news/dateline/internal/fetch"
)

// Icon limits.
const (
	Icon          = "icon" // size served: a square PNG of IconSide pixels
	IconSide      = 64
	MaxIconBytes  = 1 << 20 // icon files; an ICO with several 256 px entries fits
	MaxIconSide   = 2048
	MinIconSide   = 16
	maxHomeBytes  = 2 << 20 // the home page, read for its <link rel=icon>
	maxIconTries  = 4       // candidate URLs fetched per site and day
	iconPrefix    = "icon:"
	iconMemoTTL   = time.Minute // how long a page render trusts a remembered lookup
	maxICOEntries = 64
)

// iconMemo remembers an outlet's icon lookup so pages do not query the
// database for every card.
type iconMemo struct {
	id      string // "" while none is stored
	checked time.Time
}

func (c *Cache) memos() *sync.Map { return &c.icons }

// Origin is the site an outlet's icon belongs to: scheme://host/ of its
// home URL, "" when home is not an http(s) URL.
func Origin(home string) string {
	u, err := url.Parse(strings.TrimSpace(home))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + "/"
}

// IconID is the id under which the icon of the site at home is stored.
func IconID(home string) string {
	o := Origin(home)
	if o == "" {
		return ""
	}
	return ID(iconPrefix + o)
}

// IconPath returns the id of the stored icon of the outlet whose home page
// is home, or "" when none is stored; in that case it asks for the icon in
// the background (at most once a day per site). It never fetches itself.
func (c *Cache) IconPath(ctx context.Context, home string) string {
	if c == nil {
		return ""
	}
	o := Origin(home)
	if o == "" {
		return ""
	}
	memos := c.memos()
	now := c.opt.Now()
	if v, ok := memos.Load(o); ok {
		m := v.(iconMemo)
		if m.id != "" || now.Sub(m.checked) < iconMemoTTL {
			return m.id
		}
	}
	id := ID(iconPrefix + o)
	st, err := c.state(ctx, c.rdb, id)
	switch {
	case err != nil:
		c.log.Warn("icon lookup", "site", o, "err", err)
	case st == stored:
		memos.Store(o, iconMemo{id: id, checked: now})
		return id
	case st == refusedRecently:
		// Failed within the day: not asked again yet.
	default:
		// Remembered before asking, so a fetch finishing at once (which
		// forgets the memo) is not shadowed by it.
		memos.Store(o, iconMemo{checked: now})
		c.WantIcon(o)
		return ""
	}
	memos.Store(o, iconMemo{checked: now})
	return ""
}

// WantIcon asks for the icon of the site at home to be fetched in the
// background; it never blocks.
func (c *Cache) WantIcon(home string) {
	if c == nil || c.get == nil {
		return
	}
	o := Origin(home)
	if o == "" {
		return
	}
	key := iconPrefix + o
	if _, busy := c.inflight.LoadOrStore(key, true); busy {
		return
	}
	select {
	case c.queue <- key:
	default:
		c.inflight.Delete(key)
	}
}

// FetchIcon finds, verifies and stores the icon of the site at home unless
// it is stored or was looked for within the day. A site without a usable
// icon is recorded as such; the error says why.
func (c *Cache) FetchIcon(ctx context.Context, home string) error {
	if c.get == nil {
		return errors.New("fetch icon: no client")
	}
	o := Origin(home)
	if o == "" {
		return fmt.Errorf("fetch icon: %q is not an http(s) URL", home)
	}
	key := iconPrefix + o
	id := ID(key)
	switch st, err := c.state(ctx, c.db, id); {
	case err != nil:
		return fmt.Errorf("look up icon of %s: %w", o, err)
	case st == stored || st == refusedRecently:
		return nil
	}
	var errs []error
	cands := c.iconCandidates(ctx, o, &errs)
	for i, u := range cands {
		if i == maxIconTries {
			break
		}
		resp, err := c.get.Get(ctx, u, fetch.Conditional{}, MaxIconBytes)
		var png []byte
		if err == nil {
			png, err = ProcessIcon(resp.Body, resp.ContentType)
		}
		if err == nil {
			c.memos().Delete(o)
			return c.save(ctx, id, key, Processed{Card: png}, "")
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		errs = append(errs, fmt.Errorf("%s: %w", u, err))
	}
	err := fmt.Errorf("no icon for %s: %w", o, errors.Join(errs...))
	if serr := c.save(ctx, id, key, Processed{}, truncate(err.Error(), 1000)); serr != nil {
		return errors.Join(err, serr)
	}
	c.memos().Delete(o)
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// iconCandidates are the icon URLs to try for origin, best first: those the
// home page links, then the conventional paths.
func (c *Cache) iconCandidates(ctx context.Context, origin string, errs *[]error) []string {
	var out []string
	if resp, err := c.get.Get(ctx, origin, fetch.Conditional{}, maxHomeBytes); err != nil {
		*errs = append(*errs, fmt.Errorf("home page: %w", err))
	} else {
		base := resp.FinalURL
		if base == "" {
			base = origin
		}
		out = IconLinks(resp.Body, base)
	}
	for _, p := range []string{"apple-touch-icon.png", "favicon.ico"} {
		if u := origin + p; !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// IconLinks returns the icons an HTML page links with <link rel="icon" |
// "shortcut icon" | "apple-touch-icon">, as absolute http(s) URLs resolved
// against base, best first: touch icons and PNGs before others, larger
// before smaller. SVG icons are left out (they are not decoded here).
func IconLinks(page []byte, base string) []string {
	b, err := url.Parse(base)
	if err != nil {
		return nil
	}
	type cand struct {
		url   string
		score int
	}
	var cs []cand
	z := xhtml.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if string(name) == "body" {
			break // icons are linked in the head
		}
		if string(name) != "link" || !hasAttr {
			continue
		}
		var rel, href, typ, sizes string
		for {
			k, v, more := z.TagAttr()
			switch string(k) {
			case "rel":
				rel = strings.ToLower(string(v))
			case "href":
				href = strings.TrimSpace(string(v))
			case "type":
				typ = strings.ToLower(string(v))
			case "sizes":
				sizes = strings.ToLower(string(v))
			}
			if !more {
				break
			}
		}
		touch := false
		icon := false
		for _, r := range strings.Fields(rel) {
			switch r {
			case "icon":
				icon = true
			case "apple-touch-icon", "apple-touch-icon-precomposed":
				touch = true
			}
		}
		if (!icon && !touch) || href == "" || strings.Contains(typ, "svg") {
			continue
		}
		ref, err := url.Parse(href)
		if err != nil {
			continue
		}
		u := b.ResolveReference(ref)
		if (u.Scheme != "http" && u.Scheme != "https") || strings.HasSuffix(strings.ToLower(u.Path), ".svg") {
			continue
		}
		u.Fragment = ""
		score := largestSize(sizes)
		if touch && score == 0 {
			score = 180 // apple-touch-icon's conventional size
		}
		if touch || strings.Contains(typ, "png") || strings.HasSuffix(strings.ToLower(u.Path), ".png") {
			score += 10_000
		}
		cs = append(cs, cand{u.String(), score})
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return b.score - a.score })
	var out []string
	for _, c := range cs {
		if !slices.Contains(out, c.url) {
			out = append(out, c.url)
		}
	}
	return out
}

// largestSize reads a sizes attribute ("16x16 32x32", "any") as its largest
// width, capped so hostile values cannot dominate the ordering.
func largestSize(sizes string) int {
	best := 0
	for _, f := range strings.Fields(sizes) {
		w, _, ok := strings.Cut(f, "x")
		if n, err := strconv.Atoi(w); ok && err == nil && n > best && n <= MaxIconSide {
			best = n
		}
	}
	return best
}

// ProcessIcon verifies an icon file (PNG, GIF, JPEG, WebP, or an ICO
// holding PNG or BMP images) and returns it as a square PNG of IconSide
// pixels, the picture centred on transparency.
func ProcessIcon(body []byte, contentType string) ([]byte, error) {
	ct := strings.ToLower(strings.TrimSpace(contentType))
	if ct != "" && !strings.HasPrefix(ct, "image/") && !strings.HasPrefix(ct, "application/octet-stream") && !strings.HasPrefix(ct, "binary/") {
		return nil, fmt.Errorf("not an image: served as %s", contentType)
	}
	if len(body) > MaxIconBytes {
		return nil, fmt.Errorf("icon of %d bytes is over the %d-byte cap", len(body), MaxIconBytes)
	}
	var src image.Image
	if isICO(body) {
		m, err := DecodeICO(body)
		if err != nil {
			return nil, err
		}
		src = m
	} else {
		cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("not an ICO, PNG, GIF, JPEG or WebP image: %w", err)
		}
		if err := iconSize(format, cfg.Width, cfg.Height); err != nil {
			return nil, err
		}
		if src, _, err = image.Decode(bytes.NewReader(body)); err != nil {
			return nil, fmt.Errorf("decode %s icon: %w", format, err)
		}
	}
	b := src.Bounds()
	if err := iconSize("decoded", b.Dx(), b.Dy()); err != nil {
		return nil, err
	}
	return encodeIcon(src), nil
}

func iconSize(format string, w, h int) error {
	switch {
	case w > MaxIconSide || h > MaxIconSide:
		return fmt.Errorf("%s icon of %dx%d pixels is too large", format, w, h)
	case w < MinIconSide || h < MinIconSide:
		return fmt.Errorf("%s icon of %dx%d pixels is too small", format, w, h)
	}
	return nil
}

// encodeIcon scales src to fit IconSide square, centred, and encodes PNG.
func encodeIcon(src image.Image) []byte {
	b := src.Bounds()
	w, h := IconSide, IconSide
	if b.Dx() > b.Dy() {
		h = max(1, b.Dy()*IconSide/b.Dx())
	} else if b.Dy() > b.Dx() {
		w = max(1, b.Dx()*IconSide/b.Dy())
	}
	dst := image.NewNRGBA(image.Rect(0, 0, IconSide, IconSide))
	r := image.Rect((IconSide-w)/2, (IconSide-h)/2, (IconSide-w)/2+w, (IconSide-h)/2+h)
	xdraw.CatmullRom.Scale(dst, r, src, b, draw.Over, nil)
	var buf bytes.Buffer
	png.Encode(&buf, dst) // writing to a bytes.Buffer cannot fail
	return buf.Bytes()
}

// ICO files: an ICONDIR (reserved 0, type 1, count) then count 16-byte
// ICONDIRENTRYs (width, height, colours, reserved, planes, bpp, size,
// offset; little endian), each naming a PNG file or a BMP DIB without its
// file header.

func isICO(b []byte) bool {
	return len(b) >= 6 && b[0] == 0 && b[1] == 0 && b[2] == 1 && b[3] == 0
}

type icoEntry struct {
	w, h         int // 0 in the directory means 256
	size, offset uint32
}

// DecodeICO returns the largest image an ICO file holds that decodes:
// PNG entries, and BMP entries of 1, 4, 8, 24 or 32 bits per pixel.
// Malformed input returns an error.
func DecodeICO(b []byte) (image.Image, error) {
	if !isICO(b) {
		return nil, errors.New("not an ICO file")
	}
	n := int(binary.LittleEndian.Uint16(b[4:6]))
	if n == 0 || n > maxICOEntries {
		return nil, fmt.Errorf("ICO with %d images", n)
	}
	if len(b) < 6+16*n {
		return nil, errors.New("ICO directory truncated")
	}
	var es []icoEntry
	for i := range n {
		d := b[6+16*i : 6+16*(i+1)]
		e := icoEntry{w: int(d[0]), h: int(d[1]), size: binary.LittleEndian.Uint32(d[8:12]), offset: binary.LittleEndian.Uint32(d[12:16])}
		if e.w == 0 {
			e.w = 256
		}
		if e.h == 0 {
			e.h = 256
		}
		if uint64(e.offset)+uint64(e.size) > uint64(len(b)) || e.size < 8 {
			continue // points outside the file
		}
		es = append(es, e)
	}
	slices.SortStableFunc(es, func(a, b icoEntry) int { return b.w*b.h - a.w*a.h })
	var errs []error
	for _, e := range es {
		data := b[e.offset : e.offset+e.size]
		var m image.Image
		var err error
		if bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
			var cfg image.Config
			if cfg, err = png.DecodeConfig(bytes.NewReader(data)); err == nil {
				if err = iconSize("PNG-in-ICO", cfg.Width, cfg.Height); err == nil {
					m, err = png.Decode(bytes.NewReader(data))
				}
			}
		} else {
			m, err = decodeDIB(data)
		}
		if err == nil {
			return m, nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 0 {
		return nil, errors.New("ICO has no image inside the file")
	}
	return nil, fmt.Errorf("no ICO image decodes: %w", errors.Join(errs...))
}

// decodeDIB decodes an ICO's BMP entry: a BITMAPINFOHEADER, a palette for
// up to 8 bits per pixel, bottom-up XOR rows (its height counts the AND
// mask too), then the 1-bit AND mask giving transparency.
func decodeDIB(d []byte) (image.Image, error) {
	if len(d) < 40 {
		return nil, errors.New("BMP icon header truncated")
	}
	hdr := int(binary.LittleEndian.Uint32(d[0:4]))
	w := int(int32(binary.LittleEndian.Uint32(d[4:8])))
	h2 := int(int32(binary.LittleEndian.Uint32(d[8:12])))
	bpp := int(binary.LittleEndian.Uint16(d[14:16]))
	comp := binary.LittleEndian.Uint32(d[16:20])
	colors := int(binary.LittleEndian.Uint32(d[32:36]))
	h := h2 / 2
	if hdr < 40 || hdr > len(d) || comp != 0 {
		return nil, fmt.Errorf("BMP icon: unsupported header (size %d, compression %d)", hdr, comp)
	}
	if err := iconSize("BMP-in-ICO", w, h); err != nil {
		return nil, err
	}
	var pal []color.NRGBA
	switch bpp {
	case 1, 4, 8:
		if colors == 0 || colors > 1<<bpp {
			colors = 1 << bpp
		}
		if hdr+4*colors > len(d) {
			return nil, errors.New("BMP icon palette truncated")
		}
		for i := range colors {
			p := d[hdr+4*i:]
			pal = append(pal, color.NRGBA{R: p[2], G: p[1], B: p[0], A: 255})
		}
	case 24, 32:
	default:
		return nil, fmt.Errorf("BMP icon of %d bits per pixel", bpp)
	}
	stride := (w*bpp + 31) / 32 * 4
	maskStride := (w + 31) / 32 * 4
	pix := hdr + 4*len(pal)
	mask := pix + stride*h
	if mask > len(d) {
		return nil, errors.New("BMP icon pixels truncated")
	}
	hasMask := mask+maskStride*h <= len(d)
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	anyAlpha := false
	for y := range h {
		row := d[pix+stride*(h-1-y):]
		for x := range w {
			var c color.NRGBA
			switch bpp {
			case 32:
				c = color.NRGBA{R: row[4*x+2], G: row[4*x+1], B: row[4*x], A: row[4*x+3]}
				anyAlpha = anyAlpha || c.A != 0
			case 24:
				c = color.NRGBA{R: row[3*x+2], G: row[3*x+1], B: row[3*x], A: 255}
			default:
				bit := x * bpp
				v := int(row[bit/8]>>(8-bpp-bit%8)) & (1<<bpp - 1)
				if v < len(pal) {
					c = pal[v]
				}
			}
			m.SetNRGBA(x, y, c)
		}
	}
	// 32-bit icons carry alpha; the others (and 32-bit ones whose alpha is
	// all zero) take transparency from the AND mask.
	if hasMask && (bpp != 32 || !anyAlpha) {
		for y := range h {
			row := d[mask+maskStride*(h-1-y):]
			for x := range w {
				c := m.NRGBAAt(x, y)
				if row[x/8]&(0x80>>(x%8)) != 0 {
					c.A = 0
				} else {
					c.A = 255
				}
				m.SetNRGBA(x, y, c)
			}
		}
	}
	return m, nil
}
