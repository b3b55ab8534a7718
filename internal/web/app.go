package web

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"sync"
)

// Colours of the app icon and theme; style.css uses the same.
var (
	inkColor   = color.RGBA{0x1d, 0x2a, 0x3a, 0xff}
	paperColor = color.RGBA{0xfa, 0xf8, 0xf3, 0xff}
	accent     = color.RGBA{0xc0, 0x39, 0x2b, 0xff}
)

const themeColor = "#1d2a3a"

func (s *server) manifest(w http.ResponseWriter, r *http.Request) {
	m := map[string]any{
		"name":             s.opt.SiteName,
		"short_name":       s.opt.SiteName,
		"description":      "News from many outlets, grouped into stories.",
		"start_url":        "/",
		"scope":            "/",
		"display":          "standalone",
		"background_color": "#faf8f3",
		"theme_color":      themeColor,
		"icons": []map[string]string{
			{"src": "/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
			{"src": "/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
			{"src": "/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
		},
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	writeJSONAs(w, http.StatusOK, "application/manifest+json", m)
}

// iconSVG is a folded newspaper page: the mark of the app.
const iconSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
	`<rect width="64" height="64" rx="12" fill="#1d2a3a"/>` +
	`<rect x="14" y="12" width="36" height="40" rx="3" fill="#faf8f3"/>` +
	`<rect x="19" y="18" width="26" height="6" fill="#c0392b"/>` +
	`<rect x="19" y="28" width="26" height="3" fill="#1d2a3a"/>` +
	`<rect x="19" y="35" width="26" height="3" fill="#1d2a3a"/>` +
	`<rect x="19" y="42" width="16" height="3" fill="#1d2a3a"/></svg>`

func serveIconSVG(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write([]byte(iconSVG))
}

var (
	pngMu    sync.Mutex
	pngCache = map[int][]byte{}
)

// servePNGIcon serves /icon-192.png and /icon-512.png, drawn from the same
// rectangles as the SVG (PNG icons are what install prompts require).
func servePNGIcon(w http.ResponseWriter, r *http.Request) {
	size := 192
	if r.URL.Path == "/icon-512.png" {
		size = 512
	}
	pngMu.Lock()
	b, ok := pngCache[size]
	if !ok {
		b = drawIcon(size)
		pngCache[size] = b
	}
	pngMu.Unlock()
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(b)
}

// drawIcon renders the icon at size px. Maskable icons need their content in
// the middle 80%, which the 64-unit design already keeps.
func drawIcon(size int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	unit := float64(size) / 64
	fill := func(x, y, w, h float64, c color.RGBA) {
		r := image.Rect(int(x*unit), int(y*unit), int((x+w)*unit), int((y+h)*unit))
		for py := r.Min.Y; py < r.Max.Y; py++ {
			for px := r.Min.X; px < r.Max.X; px++ {
				img.SetRGBA(px, py, c)
			}
		}
	}
	fill(0, 0, 64, 64, inkColor) // full bleed: platforms round the corners
	fill(14, 12, 36, 40, paperColor)
	fill(19, 18, 26, 6, accent)
	fill(19, 28, 26, 3, inkColor)
	fill(19, 35, 26, 3, inkColor)
	fill(19, 42, 16, 3, inkColor)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory RGBA image cannot fail
	}
	return buf.Bytes()
}

// serveServiceWorker serves the worker from the site root so its scope is
// the whole site.
func serveServiceWorker(w http.ResponseWriter, r *http.Request) {
	b, err := staticFS.ReadFile("static/sw.js")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}
