package account

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Password rules. Length alone let "password12" and twelve spaces through;
// these add the cheap checks that catch what guessers try first, without
// composition rules (NIST SP 800-63B advises a blocklist, not "one digit and
// one symbol").
const (
	minPassword      = 10
	maxPassword      = 256
	minDistinctRunes = 5
)

// commonPasswords are guessed first. Each entry is compared with the
// lower-cased password and with its "stem" (leading and trailing digits and
// symbols removed), so "Password12!" and "123dragon" fall too.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(`
		password passw0rd passwort motdepasse contraseña senha wachtwoord haslo parola
		qwerty qwertz azerty qwertyuiop asdfghjkl asdfghjkl; zxcvbnm qazwsx qwerty123 1q2w3e4r 1qaz2wsx
		letmein welcome welcome1 admin administrator root toor login master changeme default secret
		iloveyou princess sunshine football baseball basketball soccer hockey dragon monkey shadow
		superman batman trustno1 freedom whatever starwars pokemon computer internet michael jennifer
		charlie jordan hunter ranger buster thomas robert daniel matrix summer winter spring autumn
		abc abcd abcdef abc123 test tester guest user temp demo sample example dateline
		correcthorsebatterystaple iloveyou2 lovely flower cookie chocolate cheese pepper ginger
	`) {
		m[p] = true
	}
	return m
}()

// ValidatePassword enforces 10-256 characters, at least five different ones,
// not only spaces, not a common password (or one with digits or symbols
// stuck on) and not a plain run like "0123456789" or "aaaaaaaaaa".
func ValidatePassword(pw string) error {
	if !utf8.ValidString(pw) {
		return invalid("Password is not valid text.")
	}
	if n := utf8.RuneCountInString(pw); n < minPassword || n > maxPassword {
		return invalid("Password must be %d to %d characters long.", minPassword, maxPassword)
	}
	if strings.TrimFunc(pw, unicode.IsSpace) == "" {
		return invalid("Password cannot be only spaces.")
	}
	distinct := map[rune]bool{}
	for _, r := range pw {
		distinct[unicode.ToLower(r)] = true
	}
	if len(distinct) < minDistinctRunes {
		return invalid("Password must use at least %d different characters.", minDistinctRunes)
	}
	low := strings.ToLower(pw)
	compact := strings.Join(strings.Fields(low), "")
	stem := strings.TrimFunc(compact, func(r rune) bool { return !unicode.IsLetter(r) })
	if commonPasswords[low] || commonPasswords[compact] || commonPasswords[stem] {
		return invalid("That password is too common: it is among the first any attacker tries.")
	}
	if isRun(compact) {
		return invalid("That password is a simple sequence: choose something harder to guess.")
	}
	return nil
}

// isRun reports whether s steps by the same amount (-1, 0 or +1) from each
// character to the next, as "0123456789", "9876543210" and "zzzzzzzzzz" do,
// or repeats one short block ("abcabcabca", "12121212").
func isRun(s string) bool {
	r := []rune(s)
	if len(r) < 2 {
		return true
	}
	step := r[1] - r[0]
	if step >= -1 && step <= 1 {
		run := true
		for i := 2; i < len(r); i++ {
			if r[i]-r[i-1] != step {
				run = false
				break
			}
		}
		if run {
			return true
		}
	}
	for block := 1; block <= 4 && block < len(r); block++ {
		repeats := true
		for i := block; i < len(r); i++ {
			if r[i] != r[i-block] {
				repeats = false
				break
			}
		}
		if repeats {
			return true
		}
	}
	return false
}

// passwordNotName refuses a password that contains the account's name.
func passwordNotName(pw, username string) error {
	if username != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(username)) {
		return invalid("Password must not contain your username.")
	}
	return nil
}

// nameSkeleton maps a username to the form it is read as: lower case, with
// characters that are easily mistaken for one another folded together
// (1, i, l and | read alike; 0 and o; rn reads as m, vv as w). Two names with
// one skeleton are look-alikes, and only the first may exist.
func nameSkeleton(name string) string {
	s := strings.ToLower(name)
	s = strings.NewReplacer("rn", "m", "vv", "w").Replace(s)
	return strings.Map(func(r rune) rune {
		switch r {
		case '1', 'i', '|', '!':
			return 'l'
		case '0':
			return 'o'
		}
		return r
	}, s)
}
