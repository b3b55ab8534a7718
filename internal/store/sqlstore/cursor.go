package sqlstore

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dateline-news/dateline/internal/store"
)

// A cursor is the sort key of a page's last row, "key:id", base64url
// encoded so callers treat it as opaque.
type cursorKey struct{ key, id string }

func encodeCursor(key any, id int64) string {
	var k string
	switch v := key.(type) {
	case int64:
		k = strconv.FormatInt(v, 10)
	case float64:
		k = strconv.FormatFloat(v, 'g', -1, 64) // shortest exact form
	default:
		panic(fmt.Sprintf("cursor key %T", key))
	}
	return base64.RawURLEncoding.EncodeToString([]byte(k + ":" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (cursorKey, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return cursorKey{}, fmt.Errorf("%w: %v", store.ErrBadCursor, err)
	}
	k, id, ok := strings.Cut(string(b), ":")
	if !ok {
		return cursorKey{}, store.ErrBadCursor
	}
	return cursorKey{k, id}, nil
}

func (c cursorKey) ints() (int64, int64, error) {
	k, err1 := strconv.ParseInt(c.key, 10, 64)
	id, err2 := strconv.ParseInt(c.id, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 { // ids start at 1
		return 0, 0, store.ErrBadCursor
	}
	return k, id, nil
}

func (c cursorKey) float() (float64, int64, error) {
	k, err1 := strconv.ParseFloat(c.key, 64)
	id, err2 := strconv.ParseInt(c.id, 10, 64)
	// ParseFloat accepts "NaN" and "Inf", which no stored score is: NaN
	// compares false with everything and turned the page empty.
	if err1 != nil || err2 != nil || math.IsNaN(k) || math.IsInf(k, 0) || id <= 0 {
		return 0, 0, store.ErrBadCursor
	}
	return k, id, nil
}
