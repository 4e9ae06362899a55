package session

import "strings"

// NameChars keeps the characters STS allows in a role session name and a federated user's name
// ([\w+=,.@-]), for names made from the user's login.
func NameChars(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("_+=,.@-", r):
			return r
		}
		return -1
	}, s)
}
