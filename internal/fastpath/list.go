package fastpath

import (
	"io"
	"strings"

	"github.com/assume-cli/assume/internal/awsfile"
)

// ListProfiles writes the profile names of both files, one a line (--list-profiles, for
// completion): header lines only are read, no setting is parsed.
func ListProfiles(w io.Writer, paths awsfile.Paths) error {
	names, err := awsfile.ProfileNames(paths)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	_, err = io.WriteString(w, b.String())
	return err
}
