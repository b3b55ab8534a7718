package accountweb

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/dateline-news/dateline/internal/account"
)

// moderationData is the queue page's content.
type moderationData struct {
	Reported []account.Flagged
	Hidden   []account.Comment
}

func (h *Handler) moderation(w http.ResponseWriter, r *http.Request) {
	u, ok := h.requireUser(w, r, "/moderation")
	if !ok {
		return
	}
	reported, hidden, err := h.svc.Queue(r.Context(), u)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	notice := ""
	if d := r.URL.Query().Get("done"); d != "" {
		notice = map[string]string{"hide": "Comment hidden.", "restore": "Comment restored.", "dismiss": "Reports dismissed.",
			"suspend": "Account suspended.", "unsuspend": "Account reinstated."}[d]
	}
	h.render(w, r, http.StatusOK, "moderation", view{Title: "Moderation", User: u, Notice: notice,
		Data: moderationData{Reported: reported, Hidden: hidden}})
}

// moderate handles POST /moderation/{hide|restore|dismiss} (field id) and
// /moderation/{suspend|unsuspend} (field user).
func (h *Handler) moderate(w http.ResponseWriter, r *http.Request) {
	u, ok := h.requireUser(w, r, "/moderation")
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	action := r.PathValue("action")
	var err error
	switch action {
	case "hide":
		err = h.svc.Hide(r.Context(), u, id)
	case "restore":
		err = h.svc.Restore(r.Context(), u, id)
	case "dismiss":
		err = h.svc.Dismiss(r.Context(), u, id)
	case "suspend", "unsuspend":
		err = h.svc.SuspendAs(r.Context(), u, r.PostFormValue("user"), action == "suspend")
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Buttons on a story page come back to it; the queue's to the queue.
	if next := localPath(r.PostFormValue("next")); next != "/" && (action == "hide" || action == "restore") {
		http.Redirect(w, r, fmt.Sprintf("%s#c%d", next, id), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/moderation?done="+action, http.StatusSeeOther)
}
