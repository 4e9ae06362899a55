package awsfile

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The line grammar below follows the shared-config reader of aws-sdk-go-v2 (config/internal/ini), so that assume sees
// the same profiles and values as every Go tool built on the SDK. In short:
//
//   - a line whose first non-blank character is '#' or ';' is a comment;
//   - a header is a line that, trimmed, is "[" NAME "]", optionally followed by a comment starting with '#' or ';'.
//     NAME runs to the first ']' and may hold '#' and ';' ("[team;dev]" is section "team;dev", as the AWS CLI reads
//     it; the SDK skips such a line, which drops the section's keys into the one above). Inside the brackets the first
//     run of spaces/tabs separates the kind from the name ("[ profile  prod ]" is section "profile prod");
//   - a line starting in column one holding '=' or ':' (whichever comes first) is "key = value": an inline comment
//     starts at " #", " ;", "\t#" or "\t;" ("a#b" is a value), keys are lowercased, values are trimmed and lose one
//     pair of surrounding quotes;
//   - an indented "sub = value" line right after a key with an empty value belongs to that key
//     ("s3 =\n  max_concurrent_requests = 10"); it is stored here as "s3.max_concurrent_requests". Anywhere else an
//     indented key line is an ordinary key;
//   - any other indented line continues the previous key's value on a new line (ignored when that value is empty);
//   - duplicate sections merge, and a later key replaces an earlier one.
//
// Where the SDK silently drops a line and the AWS CLI (Python's configparser) rejects the file, this package reports
// a *ParseError instead: a non-indented line that is not a comment, header or setting, such as a header missing its
// "]", whose keys would otherwise land in the section above it. A line that starts with '[' and is not a header as
// defined above ("[prod] extra words", "[a]b]") is refused too: the AWS CLI and the SDK read it differently, and
// either reading may hand one section's keys to another.
//
// Two deliberate differences from the SDK: a leading UTF-8 byte order mark is skipped (the SDK then misses the first
// header), and a CRLF line ending never becomes part of a multi-line value.

const byteOrderMark = "\uFEFF"

// ParseError reports a line that cannot be read. It names the file and line but never quotes the line, which may
// hold a secret.
type ParseError struct {
	File string
	Line int
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s, line %d: the line is not a [section] header (which only a # or ; comment may follow), "+
		"a key = value setting, a comment or an indented continuation; fix or remove it", e.File, e.Line)
}

// nextLine returns the line that starts at off, without its "\n" or "\r\n", and the offset of the following line.
func nextLine(s string, off int) (line string, next int) {
	if i := strings.IndexByte(s[off:], '\n'); i >= 0 {
		line, next = s[off:off+i], off+i+1
	} else {
		line, next = s[off:], len(s)
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, next
}

func isLineSpace(c byte) bool { return c == ' ' || c == '\t' }

// isComment reports a comment line. As in the SDK only spaces and tabs may precede the marker.
func isComment(line string) bool {
	t := strings.TrimLeft(line, " \t")
	return t != "" && (t[0] == '#' || t[0] == ';')
}

// sectionHeader reports whether line is a section header and returns the section's name, with the whitespace
// between its kind and name reduced to one space. A comment line is never a header: it does not start with '['.
func sectionHeader(line string) (string, bool) {
	line = strings.TrimSpace(line)
	if len(line) < 2 || line[0] != '[' {
		return "", false
	}
	end := strings.IndexByte(line, ']')
	if end < 0 {
		return "", false
	}
	if rest := strings.TrimLeft(line[end+1:], " \t"); rest != "" &&
		(rest[0] != '#' && rest[0] != ';' || strings.IndexByte(rest, ']') >= 0) {
		return "", false // text after the header, or a second ']': see the package notes
	}
	return normalizeSection(strings.TrimSpace(line[1:end])), true
}

// normalizeSection turns "profile \t prod" into "profile prod". Only the first run of spaces/tabs is collapsed, as the
// SDK does: "[profile my  prod]" names the profile "my  prod". It allocates only when there is something to collapse.
func normalizeSection(s string) string {
	i := 0
	for i < len(s) && !isLineSpace(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	j := i
	for j < len(s) && isLineSpace(s[j]) {
		j++
	}
	if j == i+1 && s[i] == ' ' {
		return s
	}
	return s[:i] + " " + s[j:]
}

// leadingSpaceLen returns the length of the white space at the start of line, as strings.TrimSpace sees it.
func leadingSpaceLen(line string) int {
	i := 0
	for i < len(line) {
		c := line[i]
		if c < utf8.RuneSelf {
			if c != ' ' && c != '\t' && c != '\v' && c != '\f' && c != '\r' && c != '\n' {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		if !unicode.IsSpace(r) {
			return i
		}
		i += size
	}
	return i
}

// commentStart returns the index where an inline comment starts in a value, or -1.
func commentStart(s string) int {
	for i := 1; i < len(s); i++ {
		if (s[i] == '#' || s[i] == ';') && isLineSpace(s[i-1]) {
			return i - 1
		}
	}
	return -1
}

func cutComment(s string) string {
	if i := commentStart(s); i >= 0 {
		return s[:i]
	}
	return s
}

// separatorIndex returns the index of the '=' or ':' that splits a setting, or -1. A ':' counts only when it comes
// before any '=', so "role_arn = arn:aws:iam::1:role/x" splits at '='.
func separatorIndex(s string) int {
	eq := strings.IndexByte(s, '=')
	colon := strings.IndexByte(s, ':')
	if eq < 0 || (colon >= 0 && colon < eq) {
		return colon
	}
	return eq
}

// unquote removes one pair of matching surrounding quotes.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// lineKind classifies a line inside a section body.
type lineKind uint8

const (
	kindBlank        lineKind = iota
	kindComment               // # or ; comment
	kindProperty              // key = value, including an indented key line that is not a sub-setting
	kindSubProperty           // indented sub = value under a key whose value is empty
	kindContinuation          // indented text continuing the previous key's value
	kindIgnored               // a line without a separator, which Load refuses (see isMalformed)
)

// lineInfo describes one parsed body line. For a property, key is its lowercased key and value its byte range in
// the line (the whole value text, quotes included, without an inline comment); for a sub-setting or continuation,
// key is the key it belongs to.
type lineInfo struct {
	kind                 lineKind
	key                  string
	valueStart, valueEnd int
}

// sectionParser reads the body lines of one section, possibly spread over several occurrences of its header.
// Call reset at each header: a sub-setting or continuation never reaches across one.
type sectionParser struct {
	values map[string]string
	ckey   string // the key that sub-settings and continuations attach to; "" when none
}

func (p *sectionParser) reset() { p.ckey = "" }

// parseLine reads one body line (never a header) and applies it to p.values.
func (p *sectionParser) parseLine(line string) lineInfo {
	if strings.TrimSpace(line) == "" {
		return lineInfo{kind: kindBlank}
	}
	if isComment(line) {
		return lineInfo{kind: kindComment}
	}
	if !isLineSpace(line[0]) {
		content := cutComment(line)
		content = strings.TrimRight(content, " \t")
		sep := separatorIndex(content)
		if sep < 0 {
			return lineInfo{kind: kindIgnored}
		}
		key := strings.ToLower(strings.TrimSpace(content[:sep]))
		start, end := trimmedRange(content, sep+1, len(content))
		p.set(key, unquote(content[start:end]))
		return lineInfo{kind: kindProperty, key: key, valueStart: start, valueEnd: end}
	}

	indent := len(line) - len(strings.TrimLeft(line, " \t"))
	sep := separatorIndex(line[indent:])
	if sep < 0 {
		if p.ckey != "" {
			if old := p.values[p.ckey]; old != "" {
				p.values[p.ckey] = old + "\n" + line[indent:]
			}
		}
		return lineInfo{kind: kindContinuation, key: p.ckey}
	}
	sep += indent
	key := strings.ToLower(strings.TrimSpace(line[indent:sep]))
	// Sub-settings keep inline comments in their value (as the SDK does); the range is computed on the raw text.
	start, end := trimmedRange(line, sep+1, len(line))
	value := unquote(line[start:end])
	if p.ckey == "" || p.values[p.ckey] != "" {
		// Not under an empty-valued key: the SDK "promotes" the line to an ordinary key, cutting its comment then.
		value = strings.TrimSpace(cutComment(value))
		if c := commentStart(line[start:end]); c >= 0 {
			start, end = trimmedRange(line, start, start+c)
		}
		p.set(key, value)
		return lineInfo{kind: kindProperty, key: key, valueStart: start, valueEnd: end}
	}
	p.values[p.ckey+"."+key] = value
	return lineInfo{kind: kindSubProperty, key: p.ckey}
}

// set stores key = value and makes key the current key. Redefining a key drops the sub-settings it had.
func (p *sectionParser) set(key, value string) {
	if old, ok := p.values[key]; ok && old == "" {
		prefix := key + "."
		for k := range p.values {
			if strings.HasPrefix(k, prefix) {
				delete(p.values, k)
			}
		}
	}
	p.values[key] = value
	p.ckey = key
}

// trimmedRange returns [start, end) narrowed to exclude white space at both ends of s[start:end].
func trimmedRange(s string, start, end int) (int, int) {
	inner := s[start:end]
	start += leadingSpaceLen(inner)
	end = start + len(strings.TrimRightFunc(s[start:end], unicode.IsSpace))
	return start, end
}

// isMalformed reports a line that both the SDK ignores and the AWS CLI rejects (see the package notes). The caller
// has already ruled out blank lines, comments and headers.
func isMalformed(line string) bool {
	c := line[0]
	if c == ' ' || c == '\t' || leadingSpaceLen(line) > 0 {
		return false // indented: a continuation or sub-setting
	}
	if c != '[' && (strings.IndexByte(line, '=') >= 0 || strings.IndexByte(line, ':') >= 0) {
		return false
	}
	// A line starting with '[' that is not a header (the caller checked) is refused whatever else it holds.
	return true
}
