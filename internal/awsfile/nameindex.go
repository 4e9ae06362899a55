package awsfile

import "hash/maphash"

// nameIndex keeps names unique and in insertion order and finds a name's position. It exists because a Go map with
// thousands of string keys costs several times the memory of this open-addressing table of int32 positions, and on
// a short-lived command every fresh page of memory costs time.
type nameIndex struct {
	seed  maphash.Seed
	slots []int32 // 0: empty; otherwise 1 + the name's position in names
	names []string
}

// newNameIndex sizes the table for about sizeHint names; it grows past that as needed.
func newNameIndex(sizeHint int) *nameIndex {
	size := 16
	for size < 2*sizeHint {
		size *= 2
	}
	return &nameIndex{seed: maphash.MakeSeed(), slots: make([]int32, size), names: make([]string, 0, sizeHint)}
}

// find returns the slot holding name, or the empty slot where it belongs.
func (x *nameIndex) find(name string) int {
	mask := len(x.slots) - 1
	i := int(maphash.String(x.seed, name)) & mask
	for {
		pos := x.slots[i]
		if pos == 0 || x.names[pos-1] == name {
			return i
		}
		i = (i + 1) & mask
	}
}

// lookup returns the position of name.
func (x *nameIndex) lookup(name string) (int, bool) {
	if pos := x.slots[x.find(name)]; pos != 0 {
		return int(pos - 1), true
	}
	return 0, false
}

// insert adds name if it is new and returns its position either way.
func (x *nameIndex) insert(name string) (pos int, added bool) {
	slot := x.find(name)
	if p := x.slots[slot]; p != 0 {
		return int(p - 1), false
	}
	x.names = append(x.names, name)
	x.slots[slot] = int32(len(x.names))
	if 2*len(x.names) > len(x.slots) { // keep the table at most half full so probes stay short
		x.grow()
	}
	return len(x.names) - 1, true
}

func (x *nameIndex) grow() {
	x.slots = make([]int32, 2*len(x.slots))
	for pos, name := range x.names {
		x.slots[x.find(name)] = int32(pos + 1)
	}
}
