package sqlstore

import (
	"encoding/base64"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/dateline-news/dateline/internal/store"
)

func TestRebind(t *testing.T) {
	pg := &Store{D: Dialect{Numbered: true}}
	lite := &Store{}
	q := `SELECT a FROM t WHERE x = ? AND (y < ? OR y = ?)`
	if got := pg.Rebind(q); got != `SELECT a FROM t WHERE x = $1 AND (y < $2 OR y = $3)` {
		t.Errorf("postgres rebind: %s", got)
	}
	if got := lite.Rebind(q); got != q {
		t.Errorf("sqlite rebind changed the query: %s", got)
	}
}

func TestTerms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`Volcano "erupts" AND (ash*)`, []string{"volcano", "erupts", "and", "ash"}},
		{`title:x -y NEAR(a b)`, []string{"title", "x", "y", "near", "a", "b"}},
		{`'; DROP TABLE x; --`, []string{"drop", "table", "x"}},
		{`Zürich café 2026`, []string{"zürich", "café", "2026"}},
		{`""  ^ `, nil},
		{`a b c d e f g h i j k l m n o p q r s`, []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"}},
	} {
		if got := Terms(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Terms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	for _, score := range []float64{0, 0.1 + 0.2, -3.5, 1e-300, math.MaxFloat64} {
		k, err := decodeCursor(encodeCursor(score, 42))
		if err != nil {
			t.Fatal(err)
		}
		s, id, err := k.float()
		if err != nil || s != score || id != 42 {
			t.Errorf("float cursor %v: got %v %d %v", score, s, id, err)
		}
	}
	k, err := decodeCursor(encodeCursor(int64(-7), 9))
	if err != nil {
		t.Fatal(err)
	}
	if a, b, err := k.ints(); err != nil || a != -7 || b != 9 {
		t.Errorf("int cursor: %d %d %v", a, b, err)
	}
	for _, bad := range []string{"***", "YWJj", "", "MTow" /* 1:0 */} {
		k, err := decodeCursor(bad)
		if err == nil {
			_, _, err = k.ints()
		}
		if !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor %q: %v", bad, err)
		}
	}
	for _, key := range []string{"NaN", "nan", "Inf", "-Inf", "+infinity", "1e400", "1.5"} {
		id := "7"
		if key == "1.5" {
			id = "-7"
		}
		k, err := decodeCursor(base64.RawURLEncoding.EncodeToString([]byte(key + ":" + id)))
		if err == nil {
			_, _, err = k.float()
		}
		if !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("score cursor %s:%s: %v", key, id, err)
		}
	}
}

func TestTimes(t *testing.T) {
	if Micros(time.Time{}) != 0 || !Time(0).IsZero() {
		t.Error("zero time must map to 0 and back")
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6789, time.FixedZone("X", 3600))
	back := Time(Micros(at))
	if !back.Equal(at.Truncate(time.Microsecond)) || back.Location() != time.UTC {
		t.Errorf("round trip %v -> %v", at, back)
	}
}
