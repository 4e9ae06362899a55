//go:build !windows

package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// lookPath finds name as a shell would, with the shell's exit codes: 127 when
// nothing of that name exists, 126 when it exists but cannot be executed.
func lookPath(name, pathVar string) (string, error) {
	notFound := &ExitError{Code: exitNotFound, Err: fmt.Errorf("cannot run %q: command not found", name)}
	cannotRun := func(why string) error {
		return &ExitError{Code: exitCannotExecute, Err: fmt.Errorf("cannot run %q: %s", name, why)}
	}
	if name == "" {
		return "", notFound
	}
	// A name with a slash is a path, never looked up (as in every shell).
	candidates := []string{name}
	if !strings.ContainsRune(name, '/') && !strings.ContainsRune(name, filepath.Separator) {
		candidates = candidates[:0]
		for _, dir := range filepath.SplitList(pathVar) {
			if dir == "" {
				dir = "."
			}
			candidates = append(candidates, filepath.Join(dir, name))
		}
	}
	// The first executable file wins; failing that, the first file that is
	// there but not executable explains the failure, as bash does.
	var blocked error
	for _, p := range candidates {
		info, err := os.Stat(p)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) && blocked == nil {
				blocked = cannotRun("permission denied")
			}
			continue
		}
		switch {
		case info.IsDir():
			if len(candidates) == 1 && candidates[0] == name {
				blocked = cannotRun("it is a folder")
			}
		case isExecutable(info):
			return p, nil
		case blocked == nil:
			blocked = cannotRun("the file is not executable (chmod +x it)")
		}
	}
	if blocked != nil {
		return "", blocked
	}
	return "", notFound
}

// isExecutable reports whether anyone may execute the file: its x bits.
func isExecutable(info os.FileInfo) bool { return info.Mode()&0o111 != 0 }
