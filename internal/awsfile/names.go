// Package awsfile reads and edits the AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials)
// the way the AWS SDK for Go v2 reads them, quickly enough for files with thousands of profiles: ProfileNames only
// looks at header lines, and Load indexes the sections but parses a section's settings only when asked for it.
//
// Profiles: in the config file, [default] and [profile NAME] (a [profile default] section replaces [default], as in
// the SDK); other sections there ([sso-session NAME], [services NAME], and a bare [NAME], which the AWS CLI and SDK
// ignore) are not profiles. In the credentials file every [NAME] is a profile except [profile NAME], which the SDK
// drops from that file.
package awsfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Paths names the shared config and credentials files. An empty path means "no such file".
type Paths struct{ Config, Credentials string }

// DefaultPaths returns the files the AWS CLI and SDKs use: $AWS_CONFIG_FILE and $AWS_SHARED_CREDENTIALS_FILE when
// set (a leading ~ means home), else ~/.aws/config and ~/.aws/credentials. getenv reads the variables and home is
// the user's home folder (empty: unknown), both passed in so that callers and tests choose the environment.
func DefaultPaths(getenv func(string) string, home string) Paths {
	return Paths{
		Config:      pathFromEnv(getenv("AWS_CONFIG_FILE"), home, "config"),
		Credentials: pathFromEnv(getenv("AWS_SHARED_CREDENTIALS_FILE"), home, "credentials"),
	}
}

func pathFromEnv(p, home, file string) string {
	if p != "" {
		return expandHome(p, home)
	}
	if home == "" {
		return filepath.Join(".aws", file)
	}
	return filepath.Join(home, ".aws", file)
}

func expandHome(p, home string) string {
	if home == "" || p == "" || p[0] != '~' {
		return p
	}
	if len(p) == 1 {
		return home
	}
	if p[1] == '/' || p[1] == filepath.Separator {
		return filepath.Join(home, p[2:])
	}
	return p // ~user/...: not ours to guess
}

// MaxFileSize caps what is read of either file: 64 MiB, several times a config of 50,000 profiles (about 10 MiB).
// A larger file is not a config someone wrote; reading it whole could exhaust memory.
const MaxFileSize = 64 << 20

// readFile returns the file's text without a byte order mark; a missing file (or an empty path) reads as empty.
// which ("config" or "credentials") makes the error say which file is at fault.
func readFile(path, which string) (string, error) {
	if path == "" {
		return "", nil
	}
	data, err := readCapped(path, MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err // the path is in our message already
		}
		return "", fmt.Errorf("cannot read the AWS %s file %s: %w", which, path, err)
	}
	if len(data) > MaxFileSize {
		return "", fmt.Errorf("the AWS %s file %s is larger than %d MiB, far more than any real one holds; "+
			"check that it is the right file", which, path, MaxFileSize>>20)
	}
	// The buffer is ours alone and never written again, so it can back the string without a copy: every name and
	// value handed out is a substring of it. This saves copying megabytes on every run with a large file.
	text := unsafe.String(unsafe.SliceData(data), len(data))
	return strings.TrimPrefix(text, byteOrderMark), nil
}

// readCapped reads the file whole, like os.ReadFile, but stops one byte past limit: a result longer
// than limit means the file is too large.
func readCapped(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 0
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		size = int(min(info.Size(), int64(limit)))
	}
	data := make([]byte, 0, size+512) // room past the stated size, so a file read whole meets EOF without growing
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):min(cap(data), limit+1)])
		data = data[:len(data)+n]
		if err == io.EOF || len(data) > limit {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// configProfile maps a config-file section to the profile it defines.
func configProfile(section string) (name string, ok bool) {
	if section == "default" {
		return section, true
	}
	if name, ok := strings.CutPrefix(section, "profile "); ok {
		return unquoteName(name), true
	}
	return "", false
}

// unquoteName reads a quoted name in a config-file header, [profile "personal"], as the AWS CLI does (it splits the
// header like a shell). Only a name quoted whole is unquoted; the credentials file takes its headers literally.
func unquoteName(name string) string {
	if n := len(name); n >= 2 && (name[0] == '"' || name[0] == '\'') && name[n-1] == name[0] {
		return name[1 : n-1]
	}
	return name
}

// credentialsProfile maps a credentials-file section to the profile it defines.
func credentialsProfile(section string) (name string, ok bool) {
	if section == "" || strings.HasPrefix(section, "profile ") {
		return "", false
	}
	return section, true
}

// ProfileNames returns every profile name in both files, each once, in file order (config file first). It reads
// only header lines; a malformed line elsewhere is not its business (Load reports those).
func ProfileNames(p Paths) ([]string, error) {
	config, err := readFile(p.Config, "config")
	if err != nil {
		return nil, err
	}
	credentials, err := readFile(p.Credentials, "credentials")
	if err != nil {
		return nil, err
	}

	names := newNameIndex(sizeHint(config, credentials))
	for scan := (headerScanner{text: config}); ; {
		section, ok := scan.next()
		if !ok {
			break
		}
		if name, ok := configProfile(section); ok {
			names.insert(name)
		}
	}
	for scan := (headerScanner{text: credentials}); ; {
		section, ok := scan.next()
		if !ok {
			break
		}
		if name, ok := credentialsProfile(section); ok {
			names.insert(name)
		}
	}
	return names.names, nil
}

// sizeHint guesses how many sections the files hold, erring high: a section with its settings rarely takes
// under 100 bytes. Counting headers first would cost another pass over the text.
func sizeHint(config, credentials string) int {
	return (len(config)+len(credentials))/100 + 8
}

// headerScanner finds section headers without walking every line: it jumps from '[' to '[' and checks that the
// bracket opens its line (only white space before it).
type headerScanner struct {
	text string
	off  int
}

func (h *headerScanner) next() (section string, ok bool) {
	for h.off < len(h.text) {
		i := strings.IndexByte(h.text[h.off:], '[')
		if i < 0 {
			h.off = len(h.text)
			return "", false
		}
		bracket := h.off + i
		lineStart := strings.LastIndexByte(h.text[:bracket], '\n') + 1
		line, next := nextLine(h.text, lineStart)
		h.off = next
		if !onlySpace(h.text[lineStart:bracket]) {
			continue
		}
		if section, ok := sectionHeader(line); ok {
			return section, true
		}
	}
	return "", false
}

// onlySpace reports whether s is empty or white space, as strings.TrimSpace sees it.
func onlySpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != '\v' && c != '\f' && c != '\r' {
			if c < utf8.RuneSelf {
				return false
			}
			return strings.TrimLeftFunc(s[i:], unicode.IsSpace) == ""
		}
	}
	return true
}
