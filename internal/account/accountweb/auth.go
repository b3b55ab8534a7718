package accountweb

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/dateline-news/dateline/internal/account"
)

func (h *Handler) signupForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "signup", view{Title: "Sign up", Next: localPath(r.URL.Query().Get("next"))})
}

func (h *Handler) signup(w http.ResponseWriter, r *http.Request) {
	name, pw, email := r.PostFormValue("username"), r.PostFormValue("password"), r.PostFormValue("email")
	next := localPath(r.PostFormValue("next"))
	u, err := h.svc.SignUp(r.Context(), name, pw, email, h.clientAddr(r))
	if err == nil {
		var tok string
		if tok, err = h.svc.StartSession(r.Context(), u.ID); err == nil {
			h.svc.Logout(r.Context(), h.sessionToken(r)) // any earlier session of this browser ends
			h.setSession(w, r, tok)
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
	}
	status, msg := statusOf(err)
	if status == http.StatusInternalServerError {
		h.log.Error("sign up", "err", err)
	}
	var le *account.LimitError
	if errors.As(err, &le) {
		w.Header().Set("Retry-After", strconv.Itoa(le.Seconds()))
	}
	h.render(w, r, status, "signup", view{Title: "Sign up", Error: msg, Next: next,
		Form: map[string]string{"username": name, "email": email}})
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "login", view{Title: "Log in", Next: localPath(r.URL.Query().Get("next"))})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	name, pw := r.PostFormValue("username"), r.PostFormValue("password")
	next := localPath(r.PostFormValue("next"))
	_, tok, err := h.svc.Login(r.Context(), name, pw, h.clientAddr(r), h.sessionToken(r))
	if err == nil {
		h.setSession(w, r, tok)
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	status, msg := statusOf(err)
	if status == http.StatusInternalServerError {
		h.log.Error("log in", "err", err)
	}
	var le *account.LimitError
	if errors.As(err, &le) {
		w.Header().Set("Retry-After", strconv.Itoa(le.Seconds()))
	}
	h.render(w, r, status, "login", view{Title: "Log in", Error: msg, Next: next, Form: map[string]string{"username": name}})
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if tok := h.sessionToken(r); tok != "" {
		if err := h.svc.Logout(r.Context(), tok); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.clearSession(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// accountData is the account page's content.
type accountData struct {
	Topics  []string
	Sources []int64
	Tokens  []account.Token
	Secret  string // a token just created, shown this once
}

func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request) {
	u, ok := h.requireUser(w, r, "/account")
	if !ok {
		return
	}
	h.renderAccount(w, r, u, http.StatusOK, "", map[string]string{})
}

func (h *Handler) renderAccount(w http.ResponseWriter, r *http.Request, u account.User, status int, errMsg string, form map[string]string) {
	h.renderAccountWith(w, r, u, status, errMsg, "", form)
}

// renderAccountWith is renderAccount showing secret, a just-created API token.
func (h *Handler) renderAccountWith(w http.ResponseWriter, r *http.Request, u account.User, status int, errMsg, secret string, form map[string]string) {
	topics, sources, err := h.svc.Follows(r.Context(), u.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tokens, err := h.svc.Tokens(r.Context(), u.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	notice := ""
	switch r.URL.Query().Get("done") {
	case "password":
		notice = "Your password is changed. Other sessions were logged out."
	case "follow":
		notice = "Saved."
	case "revoked":
		notice = "The token is revoked; programs using it are refused from now on."
	}
	if secret != "" {
		notice = "Your new API token is below. Copy it now: it is not shown again."
	}
	h.render(w, r, status, "account", view{Title: "Your account", User: u, Error: errMsg, Notice: notice, Form: form,
		Data: accountData{Topics: topics, Sources: sources, Tokens: tokens, Secret: secret}})
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	u, ok := h.requireUser(w, r, "/account")
	if !ok {
		return
	}
	old, pw, again := r.PostFormValue("old"), r.PostFormValue("password"), r.PostFormValue("again")
	if pw != again {
		h.renderAccount(w, r, u, http.StatusUnprocessableEntity, "The two new passwords differ.", nil)
		return
	}
	tok, err := h.svc.ChangePassword(r.Context(), u.ID, old, pw)
	if err != nil {
		status, msg := statusOf(err)
		if status == http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		var le *account.LimitError
		if errors.As(err, &le) {
			w.Header().Set("Retry-After", strconv.Itoa(le.Seconds()))
		}
		h.renderAccount(w, r, u, status, msg, nil)
		return
	}
	h.setSession(w, r, tok)
	http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
}

// follow handles follow and unfollow buttons anywhere on the site: fields
// kind (topic|source), value, action (follow|unfollow) and next.
func (h *Handler) follow(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.PostFormValue("next"))
	u, ok := h.requireUser(w, r, next)
	if !ok {
		return
	}
	on := r.PostFormValue("action") != "unfollow"
	if err := h.svc.Follow(r.Context(), u, r.PostFormValue("kind"), r.PostFormValue("value"), on); err != nil {
		var inv *account.InvalidError
		if errors.As(err, &inv) && next == "/account" {
			h.renderAccount(w, r, u, http.StatusUnprocessableEntity, inv.Msg, map[string]string{"topic": r.PostFormValue("value")})
			return
		}
		h.fail(w, r, err)
		return
	}
	if next == "/" || next == "/account" {
		next = "/account?done=follow"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// createToken makes a personal API token named by the form field name and
// shows its secret on the page it answers with, this once (not through a
// redirect: the secret must not land in a URL or history).
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	u, ok := h.requireUser(w, r, "/account")
	if !ok {
		return
	}
	secret, _, err := h.svc.CreateToken(r.Context(), u.ID, r.PostFormValue("name"))
	if err != nil {
		var inv *account.InvalidError
		if errors.As(err, &inv) {
			h.renderAccount(w, r, u, http.StatusUnprocessableEntity, inv.Msg, map[string]string{"token": r.PostFormValue("name")})
			return
		}
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.renderAccountWith(w, r, u, http.StatusOK, "", secret, nil)
}

// revokeToken revokes one of the signed-in reader's own tokens.
func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	u, ok := h.requireUser(w, r, "/account")
	if !ok {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	if err := h.svc.RevokeToken(r.Context(), u.ID, id); err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?done=revoked", http.StatusSeeOther)
}
