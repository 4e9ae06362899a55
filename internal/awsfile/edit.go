package awsfile

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"strings"

	"github.com/assume-cli/assume/internal/atomicfile"
)

// KV is one setting to write.
type KV struct{ Key, Value string }

// newFileMode is the mode of a config or credentials file created here: it may hold secrets.
const newFileMode = 0o600

// maxEditSize caps the file an edit reads: 5,000 profiles take about 1 MiB, and a huge (or sparse) file must not be
// read into memory.
const maxEditSize = 16 << 20

// Guard inspects a section before SetKeys changes it and may refuse the change by returning an error. It receives
// the section's settings once per occurrence of its header, in file order (none when the section does not exist),
// so that a duplicate section cannot hide what the first one holds.
type Guard func(occurrences []map[string]string) error

// errUnchanged tells atomicfile.Update to leave the file alone when an edit would not change a byte.
var errUnchanged = errors.New("unchanged")

// SetKeys sets keys in the section whose header is section ("prod" in the credentials file, "profile prod" in the
// config file) of the file at path, under the cross-process lock of atomicfile.Update:
//   - a key already in the section (in any case) gets the new value on its own line, keeping the line's key spelling,
//     indentation, separator and inline comment; if the key appears several times, every occurrence is updated, and
//     lines that continued its old value are removed;
//   - other keys are added, one "key = value" line each, after the section's last setting (in its last occurrence);
//   - a missing section is added at the end of the file, after a blank line unless the file already ends with one.
//
// Every other byte is kept: comments, blank lines, order, other sections, CRLF line endings (new lines use the
// file's line ending). A new file gets mode 0600, an existing one keeps its mode.
//
// guard, when not nil, receives the section's current settings, one map per occurrence of its header, and may
// refuse the change by returning an error, which SetKeys returns; then nothing is written. The file is not written
// when nothing would change, nor when it holds a malformed line (*ParseError).
//
// Keys are letters, digits, '_' and '-'. Values must be non-empty, single-line and read back unchanged, so no
// surrounding white space or quotes and no " #" or " ;" (which would start a comment); errors name the key, never
// the value.
func SetKeys(path, section string, kv []KV, guard Guard) error {
	return SetKeysWith(path, section, kv, guard, atomicfile.Wait{})
}

// SetKeysWith is SetKeys with a bounded wait for the file's lock when another process holds it.
func SetKeysWith(path, section string, kv []KV, guard Guard, wait atomicfile.Wait) error {
	name, err := checkSection(section)
	if err != nil {
		return err
	}
	settings, err := checkSettings(kv)
	if err != nil {
		return err
	}
	if len(settings) == 0 {
		return nil
	}
	return editFile(path, name, wait, func(doc *document) ([]change, map[string]string, error) {
		if guard != nil {
			if err := guard(doc.occurrences); err != nil {
				return nil, nil, err
			}
		}
		return doc.setKeys(settings)
	})
}

// DeleteKeys removes keys (in any case) from the section whose header is section, with the lines that continue
// their values, under the same rules as SetKeys. A key or section that is not there is not an error; the section
// header stays even when no key is left.
func DeleteKeys(path, section string, keys []string) error {
	name, err := checkSection(section)
	if err != nil {
		return err
	}
	remove := make(map[string]bool, len(keys))
	for _, k := range keys {
		remove[strings.ToLower(strings.TrimSpace(k))] = true
	}
	return editFile(path, name, atomicfile.Wait{}, func(doc *document) ([]change, map[string]string, error) {
		return doc.deleteKeys(remove)
	})
}

// editFile runs one locked read-modify-write of path. plan reads the parsed document and returns the byte edits and
// the settings the section must hold afterwards, which are checked by parsing the result before anything is written.
func editFile(path, section string, wait atomicfile.Wait, plan func(*document) ([]change, map[string]string, error)) error {
	opts := atomicfile.Options{Wait: wait, MaxSize: maxEditSize}
	err := atomicfile.UpdateWith(path, newFileMode, opts, func(old []byte) ([]byte, error) {
		text := string(old)
		doc, err := parseDocument(path, text, section)
		if err != nil {
			return nil, err
		}
		edits, want, err := plan(doc)
		if err != nil {
			return nil, err
		}
		if len(edits) == 0 {
			return nil, errUnchanged
		}
		result := apply(text, edits, doc.eol)
		if result == text {
			return nil, errUnchanged
		}
		if err := verifyEdit(path, text, result, section, want); err != nil {
			return nil, err
		}
		return []byte(result), nil
	})
	if errors.Is(err, errUnchanged) {
		return nil
	}
	return err
}

// document is what an edit needs to know about a file: where the target section's settings are.
type document struct {
	text   string
	target string            // the section's name
	eol    string            // the file's line ending, used for new lines
	values map[string]string // the section's current settings; nil when it does not exist
	// occurrences holds the settings of each occurrence of the section's header, in file order.
	occurrences []map[string]string
	found       bool
	props       []propLine // the section's setting lines, in file order
	// insertAt is where new settings go: after the last setting line of the section's last occurrence (or after its
	// header when it has none).
	insertAt int
}

// propLine is one "key = value" line of the target section.
type propLine struct {
	key                  string
	start, end           int // the whole line, line ending included
	valueStart, valueEnd int // the value text, absolute offsets
	attached             []span
}

type span struct{ start, end int }

// change replaces text[start:end] with text. A newLines change inserts whole lines and first ends the previous line if
// it has no line ending; a newSection edit also puts a blank line before the new section.
type change struct {
	start, end int
	text       string
	newLines   bool
	newSection bool
}

func parseDocument(path, text, target string) (*document, error) {
	doc := &document{text: text, target: target, eol: "\n"}
	if i := strings.IndexByte(text, '\n'); i > 0 && text[i-1] == '\r' {
		doc.eol = "\r\n"
	}
	parser := sectionParser{values: map[string]string{}}
	var occurrence *sectionParser // the current occurrence of the target alone
	inTarget := false
	owner := -1 // index in doc.props of the line that sub-settings and continuations attach to
	lineNo := 0
	for off := len(text) - len(strings.TrimPrefix(text, byteOrderMark)); off < len(text); {
		lineStart := off
		var line string
		line, off = nextLine(text, off)
		lineNo++
		if name, ok := sectionHeader(line); ok {
			inTarget = name == target
			if inTarget {
				doc.found = true
				doc.insertAt = off
				parser.reset()
				owner = -1
				if occurrence != nil {
					doc.occurrences = append(doc.occurrences, occurrence.values)
				}
				occurrence = &sectionParser{values: map[string]string{}}
			}
			continue
		}
		if !inTarget {
			if malformed(line) {
				return nil, &ParseError{File: path, Line: lineNo}
			}
			continue
		}
		info := parser.parseLine(line)
		occurrence.parseLine(line)
		switch info.kind {
		case kindProperty:
			doc.props = append(doc.props, propLine{
				key: info.key, start: lineStart, end: off,
				valueStart: lineStart + info.valueStart, valueEnd: lineStart + info.valueEnd,
			})
			owner = len(doc.props) - 1
			doc.insertAt = off
		case kindSubProperty, kindContinuation:
			if owner >= 0 {
				doc.props[owner].attached = append(doc.props[owner].attached, span{lineStart, off})
			}
			doc.insertAt = off
		case kindIgnored:
			if malformed(line) {
				return nil, &ParseError{File: path, Line: lineNo}
			}
		}
	}
	if doc.found {
		doc.values = parser.values
		doc.occurrences = append(doc.occurrences, occurrence.values)
	}
	return doc, nil
}

// malformed reports a line that is not blank, a comment, indented or a setting (headers are checked before).
func malformed(line string) bool {
	if line == "" || leadingSpaceLen(line) > 0 || line[0] == '#' || line[0] == ';' {
		return false
	}
	return isMalformed(line)
}

// setKeys plans SetKeys: values replaced in place, new keys inserted, the section added if missing.
func (doc *document) setKeys(settings []KV) ([]change, map[string]string, error) {
	want := maps.Clone(doc.values)
	if want == nil {
		want = map[string]string{}
	}
	var edits []change
	present := map[string]bool{}
	wanted := map[string]string{}
	for _, s := range settings {
		wanted[strings.ToLower(s.Key)] = s.Value
	}
	for _, p := range doc.props {
		value, ok := wanted[p.key]
		if !ok {
			continue
		}
		present[p.key] = true
		if p.valueStart == p.valueEnd && p.valueStart-2 >= p.start && isLineSpace(doc.text[p.valueStart-2]) &&
			(doc.text[p.valueStart-1] == '=' || doc.text[p.valueStart-1] == ':') {
			value = " " + value // "key =" had no value: space the new one like the key is spaced
		}
		edits = append(edits, change{start: p.valueStart, end: p.valueEnd, text: value})
		for _, a := range p.attached {
			edits = append(edits, change{start: a.start, end: a.end})
		}
	}

	var added strings.Builder
	for _, s := range settings {
		key := strings.ToLower(s.Key)
		dropSubKeys(want, key)
		want[key] = s.Value
		if !present[key] {
			added.WriteString(s.Key + " = " + s.Value + doc.eol)
		}
	}
	switch {
	case !doc.found:
		header := "[" + doc.target + "]" + doc.eol
		edits = append(edits, change{start: len(doc.text), end: len(doc.text), text: header + added.String(), newLines: true, newSection: true})
	case added.Len() > 0:
		edits = append(edits, change{start: doc.insertAt, end: doc.insertAt, text: added.String(), newLines: true})
	}
	sortEdits(edits)
	return edits, want, nil
}

// deleteKeys plans DeleteKeys.
func (doc *document) deleteKeys(remove map[string]bool) ([]change, map[string]string, error) {
	if !doc.found {
		return nil, nil, nil
	}
	want := maps.Clone(doc.values)
	var edits []change
	for _, p := range doc.props {
		if !remove[p.key] {
			continue
		}
		edits = append(edits, change{start: p.start, end: p.end})
		for _, a := range p.attached {
			edits = append(edits, change{start: a.start, end: a.end})
		}
	}
	for key := range remove {
		dropSubKeys(want, key)
		delete(want, key)
	}
	return edits, want, nil
}

// dropSubKeys removes the "key.sub" settings of key.
func dropSubKeys(values map[string]string, key string) {
	prefix := key + "."
	for k := range values {
		if strings.HasPrefix(k, prefix) {
			delete(values, k)
		}
	}
}

func sortEdits(edits []change) {
	// Edits are produced almost in order; an insertion sort keeps equal starts in production order.
	for i := 1; i < len(edits); i++ {
		for j := i; j > 0 && edits[j].start < edits[j-1].start; j-- {
			edits[j], edits[j-1] = edits[j-1], edits[j]
		}
	}
}

// apply returns text with the edits (sorted, not overlapping) applied.
func apply(text string, edits []change, eol string) string {
	var out strings.Builder
	out.Grow(len(text) + 256)
	last := 0
	for _, e := range edits {
		out.WriteString(text[last:e.start])
		if e.newLines {
			soFar := out.String()
			body := strings.TrimPrefix(soFar, byteOrderMark)
			if body != "" && !strings.HasSuffix(body, "\n") {
				out.WriteString(eol)
				soFar += eol
			}
			if e.newSection && strings.TrimSpace(body) != "" && !endsWithBlankLine(soFar) {
				out.WriteString(eol)
			}
		}
		out.WriteString(e.text)
		last = e.end
	}
	out.WriteString(text[last:])
	return out.String()
}

// endsWithBlankLine reports whether the last complete line of s holds only white space.
func endsWithBlankLine(s string) bool {
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	i := strings.LastIndexByte(s, '\n')
	return strings.TrimSpace(s[i+1:]) == ""
}

// verifyEdit parses the file before and after the edit and checks that only the target section changed, and that
// it now holds exactly want. It guards against corner cases of the line grammar (such as a removed line changing
// how an indented line below it is read): in doubt, the file is left alone.
func verifyEdit(path, before, after, target string, want map[string]string) error {
	old, err := allSections(path, before)
	if err != nil {
		return err
	}
	updated, err := allSections(path, after)
	if err != nil {
		return err
	}
	refuse := fmt.Errorf("%s: cannot change [%s] without changing other settings; edit the file by hand", path, target)
	if want != nil && !maps.Equal(updated[target], want) {
		return refuse
	}
	delete(old, target)
	delete(updated, target)
	if len(old) != len(updated) {
		return refuse
	}
	for name, values := range old {
		if other, ok := updated[name]; !ok || !maps.Equal(values, other) {
			return refuse
		}
	}
	return nil
}

// SectionSettings returns the settings of each occurrence of section (a header as in SetKeys: "profile prod" in the
// config file) in the file at path, in file order; none when the file or the section does not exist. The file is
// read only up to the size an edit accepts.
func SectionSettings(path, section string) ([]map[string]string, error) {
	name, err := checkSection(section)
	if err != nil {
		return nil, err
	}
	text, err := readEditable(path)
	if err != nil || text == "" {
		return nil, err
	}
	doc, err := parseDocument(path, text, name)
	if err != nil {
		return nil, err
	}
	return doc.occurrences, nil
}

// readEditable reads a whole file of at most maxEditSize bytes; a missing file reads as empty.
func readEditable(path string) (string, error) {
	data, err := readCapped(path, maxEditSize)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if len(data) > maxEditSize {
		return "", &atomicfile.TooLargeError{Path: path, Limit: maxEditSize}
	}
	return string(data), nil
}

// allSections parses every section of a file, duplicates merged.
func allSections(path, text string) (map[string]map[string]string, error) {
	sections := map[string]*sectionParser{}
	var current *sectionParser
	lineNo := 0
	for off := len(text) - len(strings.TrimPrefix(text, byteOrderMark)); off < len(text); {
		var line string
		line, off = nextLine(text, off)
		lineNo++
		if name, ok := sectionHeader(line); ok {
			current = sections[name]
			if current == nil {
				current = &sectionParser{values: map[string]string{}}
				sections[name] = current
			}
			current.reset()
			continue
		}
		if malformed(line) {
			return nil, &ParseError{File: path, Line: lineNo}
		}
		if current != nil {
			current.parseLine(line)
		}
	}
	result := make(map[string]map[string]string, len(sections))
	for name, p := range sections {
		result[name] = p.values
	}
	return result, nil
}

// checkSection validates a section name given to SetKeys or DeleteKeys and returns it normalized.
func checkSection(section string) (string, error) {
	name := normalizeSection(strings.TrimSpace(section))
	if name == "" || strings.ContainsAny(name, "[]#;\r\n") {
		return "", fmt.Errorf("%q cannot be used as a section name", section)
	}
	return name, nil
}

// checkSettings validates keys and values and returns the settings with each key once (the last value wins).
func checkSettings(kv []KV) ([]KV, error) {
	var settings []KV
	index := map[string]int{}
	for _, s := range kv {
		if !validKey(s.Key) {
			return nil, fmt.Errorf("%q cannot be used as a key in an AWS file", s.Key)
		}
		if !validValue(s.Value) {
			return nil, fmt.Errorf("the value for %s cannot be written to an AWS file: it must be a single line "+
				"without surrounding spaces or quotes and without \" #\" or \" ;\"", s.Key)
		}
		key := strings.ToLower(s.Key)
		if i, dup := index[key]; dup {
			settings[i].Value = s.Value
			continue
		}
		index[key] = len(settings)
		settings = append(settings, s)
	}
	return settings, nil
}

func validKey(key string) bool {
	if key == "" {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// validValue accepts a value that a "key = value" line gives back exactly.
func validValue(v string) bool {
	if v == "" || strings.TrimSpace(v) != v || unquote(v) != v || commentStart(v) >= 0 {
		return false
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
