package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/fetch"
)

// ico builds an ICO file from entries, each a PNG file or a BMP DIB, with
// the directory sizes given.
func ico(sides []int, entries ...[]byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, [3]uint16{0, 1, uint16(len(entries))})
	off := 6 + 16*len(entries)
	for i, e := range entries {
		side := byte(sides[i])
		if sides[i] >= 256 {
			side = 0
		}
		b.Write([]byte{side, side, 0, 0, 1, 0, 32, 0})
		binary.Write(&b, binary.LittleEndian, [2]uint32{uint32(len(e)), uint32(off)})
		off += len(e)
	}
	for _, e := range entries {
		b.Write(e)
	}
	return b.Bytes()
}

// dib32 is a 32-bit BMP icon entry of side pixels, opaque red, with its
// (empty) AND mask.
func dib32(side int) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, struct {
		Size, W, H    int32
		Planes, Bpp   uint16
		Comp, ImgSize uint32
		XPM, YPM      int32
		Used, Imp     uint32
	}{40, int32(side), int32(2 * side), 1, 32, 0, 0, 0, 0, 0, 0})
	for range side * side {
		b.Write([]byte{0, 0, 255, 255}) // BGRA
	}
	b.Write(make([]byte, (side+31)/32*4*side))
	return b.Bytes()
}

// dib8 is an 8-bit palette BMP entry whose AND mask makes the left half
// transparent.
func dib8(side int) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, struct {
		Size, W, H    int32
		Planes, Bpp   uint16
		Comp, ImgSize uint32
		XPM, YPM      int32
		Used, Imp     uint32
	}{40, int32(side), int32(2 * side), 1, 8, 0, 0, 0, 0, 2, 0})
	b.Write([]byte{0, 0, 0, 0, 255, 0, 0, 0}) // palette: black, blue
	stride := (side*8 + 31) / 32 * 4
	for range side {
		row := make([]byte, stride)
		for x := range side {
			row[x] = 1
		}
		b.Write(row)
	}
	ms := (side + 31) / 32 * 4
	for range side {
		row := make([]byte, ms)
		for x := range side / 2 {
			row[x/8] |= 0x80 >> (x % 8)
		}
		b.Write(row)
	}
	return b.Bytes()
}

func TestDecodeICO(t *testing.T) {
	png16, png48 := encoded(t, "png", 16, 16), encoded(t, "png", 48, 48)
	good := ico([]int{16, 48}, png16, png48)
	tests := []struct {
		name    string
		body    []byte
		wantW   int
		wantErr string
	}{
		{"largest PNG entry", good, 48, ""},
		{"32-bit BMP entry", ico([]int{32}, dib32(32)), 32, ""},
		{"8-bit BMP entry with mask", ico([]int{16}, dib8(16)), 16, ""},
		{"broken large entry falls back", ico([]int{16, 64}, png16, []byte("\x89PNG\r\n\x1a\nnot really")), 16, ""},
		{"not an ICO", png16, 0, "not an ICO"},
		{"no entries", ico(nil), 0, "0 images"},
		{"directory truncated", good[:20], 0, "truncated"},
		{"truncated large entry falls back", good[:len(good)-10], 16, ""},
		{"entry outside the file", func() []byte {
			b := bytes.Clone(good)
			binary.LittleEndian.PutUint32(b[6+12:], 1<<31)
			binary.LittleEndian.PutUint32(b[6+16+12:], 1<<31)
			return b
		}(), 0, "no image inside"},
		{"hostile DIB size", ico([]int{16}, func() []byte {
			d := dib32(16)
			binary.LittleEndian.PutUint32(d[4:], 1<<30)
			return d
		}()), 0, "too large"},
		{"tiny", ico([]int{1}, encoded(t, "png", 1, 1)), 0, "too small"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DecodeICO(tt.body)
			if tt.wantW == 0 {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w := m.Bounds().Dx(); w != tt.wantW {
				t.Errorf("width %d, want %d", w, tt.wantW)
			}
		})
	}
	// The 8-bit entry's mask: left half transparent, right half blue.
	m, err := DecodeICO(ico([]int{16}, dib8(16)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := m.At(2, 5).RGBA(); a != 0 {
		t.Errorf("masked pixel alpha %d, want 0", a)
	}
	if r, g, b, a := m.At(12, 5).RGBA(); a != 0xffff || b != 0xffff || r != 0 || g != 0 {
		t.Errorf("unmasked pixel %d,%d,%d,%d, want opaque blue", r, g, b, a)
	}
}

func FuzzDecodeICO(f *testing.F) {
	var b bytes.Buffer
	png.Encode(&b, testImage(16, 16))
	f.Add(ico([]int{16}, b.Bytes()))
	f.Add(ico([]int{16}, dib8(16)))
	f.Add(ico([]int{32}, dib32(32)))
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := DecodeICO(body)
		if err == nil && (m.Bounds().Dx() < MinIconSide || m.Bounds().Dx() > MaxIconSide) {
			t.Fatalf("decoded an icon of %v outside the limits", m.Bounds())
		}
	})
}

func TestProcessIcon(t *testing.T) {
	tests := []struct {
		name, ct string
		body     []byte
		wantErr  string
	}{
		{"png", "image/png", encoded(t, "png", 180, 180), ""},
		{"wide logo", "image/png", encoded(t, "png", 200, 50), ""},
		{"ico", "image/x-icon", ico([]int{32}, encoded(t, "png", 32, 32)), ""},
		{"html", "text/html", []byte("<html></html>"), "not an image"},
		{"garbage", "image/x-icon", []byte("nonsense"), "not an ICO"},
		{"too large", "image/png", encoded(t, "png", 3000, 20), "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := ProcessIcon(tt.body, tt.ct)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if cfg.Width != IconSide || cfg.Height != IconSide {
				t.Errorf("%dx%d, want %d square", cfg.Width, cfg.Height, IconSide)
			}
		})
	}
}

func TestIconLinks(t *testing.T) {
	page := `<html><head>
<link rel="stylesheet" href="/s.css">
<link rel="icon" href="/favicon-16.png" sizes="16x16" type="image/png">
<link rel="shortcut icon" href="favicon.ico">
<link rel="icon" href="/logo.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="img/touch.png">
<link rel="icon" href="/favicon-96.png" sizes="96x96">
<link rel="icon" href="javascript:alert(1)">
</head><body><link rel="icon" href="/late.png"></body></html>`
	got := IconLinks([]byte(page), "https://news.example/section/")
	want := []string{
		"https://news.example/section/img/touch.png",
		"https://news.example/favicon-96.png",
		"https://news.example/favicon-16.png",
		"https://news.example/section/favicon.ico",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("IconLinks =\n %v\nwant\n %v", got, want)
	}
}

// iconSite serves a site whose pages are given by path; it counts requests.
type iconSite struct {
	mu    sync.Mutex
	paths map[string][]byte
	hits  map[string]int
	total int
}

func (s *iconSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[r.URL.Path]++
	s.total++
	b, ok := s.paths[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch {
	case strings.HasSuffix(r.URL.Path, ".ico"):
		w.Header().Set("Content-Type", "image/x-icon")
	case strings.HasSuffix(r.URL.Path, ".png"):
		w.Header().Set("Content-Type", "image/png")
	default:
		w.Header().Set("Content-Type", "text/html")
	}
	w.Write(b)
}

func (s *iconSite) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

func TestFetchIcon(t *testing.T) {
	opts := fetch.DefaultOptions()
	opts.AllowPrivate = true
	opts.PerHostInterval = -1
	client := fetch.New(opts)
	tests := []struct {
		name     string
		paths    map[string][]byte
		want     bool
		wantPath string // the icon fetched
	}{
		{"linked relative icon", map[string][]byte{
			"/":                     []byte(`<html><head><link rel="icon" href="static/i.png" sizes="32x32"></head></html>`),
			"/static/i.png":         encoded(t, "png", 32, 32),
			"/favicon.ico":          ico([]int{16}, encoded(t, "png", 16, 16)),
			"/apple-touch-icon.png": []byte("should not be asked"),
		}, true, "/static/i.png"},
		{"fallback to favicon.ico", map[string][]byte{
			"/":            []byte(`<html><head><title>no icons</title></head></html>`),
			"/favicon.ico": ico([]int{16, 32}, encoded(t, "png", 16, 16), encoded(t, "png", 32, 32)),
		}, true, "/favicon.ico"},
		{"no icon at all", map[string][]byte{
			"/":           []byte(`<html><head><link rel="icon" href="/broken.png"></head></html>`),
			"/broken.png": []byte("not a png"),
		}, false, ""},
	}
	for _, d := range testDBs(t) {
		for _, tt := range tests {
			t.Run(d.name+"/"+tt.name, func(t *testing.T) {
				site := &iconSite{paths: tt.paths, hits: map[string]int{}}
				srv := httptest.NewServer(site)
				defer srv.Close()
				ctx := context.Background()
				now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
				c := New(d.db, client, Options{Postgres: d.postgres, Now: func() time.Time { return now }})
				home := srv.URL + "/some/section"
				err := c.FetchIcon(ctx, home)
				if tt.want != (err == nil) {
					t.Fatalf("FetchIcon: %v", err)
				}
				if tt.wantPath != "" && site.hits[tt.wantPath] != 1 {
					t.Errorf("%s fetched %d times", tt.wantPath, site.hits[tt.wantPath])
				}
				if tt.want && site.hits["/apple-touch-icon.png"] != 0 && tt.wantPath != "/favicon.ico" {
					t.Errorf("fallback asked although the linked icon worked")
				}
				// Looked up: stored, or remembered as missing (and not asked for).
				id := c.IconPath(ctx, home)
				if tt.want != (id != "") || (id != "" && id != IconID(home)) {
					t.Fatalf("IconPath = %q, want stored %v", id, tt.want)
				}
				if tt.want {
					b, err := c.Image(ctx, id, Icon)
					if err != nil {
						t.Fatal(err)
					}
					if cfg, err := png.DecodeConfig(bytes.NewReader(b)); err != nil || cfg.Width != IconSide {
						t.Errorf("stored icon: %v, %v", cfg, err)
					}
				}
				// A second call within the day asks the site nothing.
				before := site.requests()
				if err := c.FetchIcon(ctx, home); err != nil {
					t.Errorf("second FetchIcon: %v", err)
				}
				if got := site.requests() - before; got != 0 {
					t.Errorf("second call within a day made %d requests", got)
				}
				// A day later, only a missing icon is looked for again.
				now = now.Add(retryAfter + time.Minute)
				c.FetchIcon(ctx, home)
				if got := site.requests() - before; (got > 0) == tt.want {
					t.Errorf("after a day: %d requests (icon stored: %v)", got, tt.want)
				}
			})
		}
	}
}

// TestIconPathWants: a page asking for an unknown outlet's icon gets ""
// at once and the icon is fetched by Run's workers.
func TestIconPathWants(t *testing.T) {
	site := &iconSite{paths: map[string][]byte{"/favicon.ico": ico([]int{32}, encoded(t, "png", 32, 32))}, hits: map[string]int{}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	opts := fetch.DefaultOptions()
	opts.AllowPrivate = true
	opts.PerHostInterval = -1
	d := testDBs(t)[0]
	c := New(d.db, fetch.New(opts), Options{})
	fetched := make(chan string, 2)
	c.afterFetch = func(u string) { fetched <- u }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	if id := c.IconPath(ctx, srv.URL); id != "" {
		t.Fatalf("IconPath before any fetch = %q", id)
	}
	if got := <-fetched; got != "icon:"+srv.URL+"/" {
		t.Fatalf("fetched %s", got)
	}
	if id := c.IconPath(ctx, srv.URL+"/"); id != IconID(srv.URL) {
		t.Fatalf("IconPath after the fetch = %q, want %q", id, IconID(srv.URL))
	}
	cancel()
	<-done
}
