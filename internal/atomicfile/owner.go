package atomicfile

import (
	"fmt"
	"io/fs"
)

// ReadOnlyError refuses to replace a file that is read-only or that this user may not write.
type ReadOnlyError struct {
	Path string
	Mode fs.FileMode
}

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("%s is read-only for you (mode %04o), so it is left as it is; make it writable (chmod u+w) if it should change", e.Path, e.Mode)
}

// OwnerError refuses to replace a file whose owner or group the new file could not keep.
type OwnerError struct {
	Path, Owner, Group string
}

func (e *OwnerError) Error() string {
	return fmt.Sprintf("%s belongs to %s (group %s), and a replacement written by you could not keep that owner; run this as %s instead", e.Path, e.Owner, e.Group, e.Owner)
}
