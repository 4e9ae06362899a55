package render

import "bytes"

// zshShell writes the same statements as bash: zsh reads `export NAME=$'…'`
// and `unset NAME` alike, and its $'\xHH' also yields the raw byte (zsh keeps
// bytes from 0x80 up, invalid UTF-8 included, exactly when it exports them).
// The word is never '…' with an embedded quote, so RC_QUOTES cannot change
// its meaning.
type zshShell struct{}

func (zshShell) export(b *bytes.Buffer, name, value string) error {
	return bashShell{}.export(b, name, value)
}

func (zshShell) unset(b *bytes.Buffer, name string) {
	bashShell{}.unset(b, name)
}
