package web

import (
	_ "embed"
	"net/http"
	"strings"
)

// openAPI describes /api/v1; openapi_test.go checks it against the routes
// and the handlers' answers.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(openAPI)
}

// apiImage passes an image URL to API clients only when it is https: a
// client showing it must not be led to load anything else.
func apiImage(u string) string {
	if strings.HasPrefix(u, "https://") {
		return u
	}
	return ""
}
