package accountweb

import (
	"html/template"
	"net/http"
)

// commentsHook mirrors web.Comments (internal/web's extension point) without
// importing that package: Handler must plug in as is.
type commentsHook interface {
	Section(r *http.Request, kind string, id int64) (template.HTML, error)
	Routes(mux *http.ServeMux)
}

var _ commentsHook = (*Handler)(nil)
