package awsfile

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Profile is the merged view of one profile: the config file's [profile NAME] (or [default]) section with the
// credentials file's [NAME] section on top. Keys are lowercase; a sub-setting is stored as "parent.key".
type Profile struct {
	Name   string
	Values map[string]string
	// ConfigFile and CredentialsFile tell where the profile was found.
	ConfigFile, CredentialsFile bool
	// KeysInConfig is set when the key set in Values comes from the config file. A key set (aws_access_key_id,
	// aws_secret_access_key, and aws_session_token or the legacy aws_security_token) is taken whole from one file, as
	// the AWS CLI does: the credentials file's when its section holds any of the three, else the config file's. The
	// token is always stored as aws_session_token, and the other file's keys are left out.
	KeysInConfig bool
	// KeysErr is a *KeysError when the section the key set comes from holds only part of one.
	KeysErr error
}

// KeyNames are the settings that make up a key set.
var KeyNames = [...]string{"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token"}

// KeysError reports a section holding part of a key set, which no tool can use whole: the AWS CLI refuses some of
// these and the SDK others, and merging the parts across the two files would pair keys that never belonged together.
type KeysError struct {
	Profile, File, Section string
	Has, Missing           string // the settings present and absent, as "aws_access_key_id" or "a and b"
}

func (e *KeysError) Error() string {
	return fmt.Sprintf("profile %q: %s, section [%s], has %s but no %s; a key set is read whole from one section, "+
		"so add %s there or remove %s", e.Profile, e.File, e.Section, e.Has, e.Missing, e.Missing, e.Has)
}

// Get returns the value of key (any case), or "" when it is not set.
func (p Profile) Get(key string) string { return p.Values[strings.ToLower(key)] }

type fileKind uint8

const (
	configFile fileKind = iota
	credentialsFile
)

// sectionRef is one occurrence of a section header: where its body lies in which file. Occurrences of the same
// section form a list through next, in file order.
type sectionRef struct {
	start, end int // body byte range, from the line after the header to the next header
	next       int32
	file       fileKind
	// profilePrefix marks a config [profile default] section, which replaces [default] as in the SDK.
	profilePrefix bool
}

// section lists the occurrences of one profile or sso-session, in refs.
type section struct{ first, last int32 }

// Files is the content of both files, loaded once and indexed by section; a section's settings are parsed on its
// first lookup. It is safe for concurrent use.
type Files struct {
	paths Paths
	text  [2]string // indexed by fileKind
	refs  []sectionRef
	// profiles and sessions hold the names of profiles and sso-sessions; the section at the same position in
	// profileSections or sessionSections lists where each is defined.
	profiles, sessions               *nameIndex
	profileSections, sessionSections []section

	mu     sync.Mutex
	parsed map[int]Profile
}

// Load reads both files and indexes their sections. A missing file counts as empty; a path that cannot be read (a
// folder, no permission) is an error naming the file, and so is a malformed line (see ParseError).
func Load(p Paths) (*Files, error) {
	config, err := readFile(p.Config, "config")
	if err != nil {
		return nil, err
	}
	credentials, err := readFile(p.Credentials, "credentials")
	if err != nil {
		return nil, err
	}
	estimate := sizeHint(config, credentials)
	f := &Files{
		paths:           p,
		text:            [2]string{config, credentials},
		refs:            make([]sectionRef, 0, estimate),
		profiles:        newNameIndex(estimate),
		profileSections: make([]section, 0, estimate),
		sessions:        newNameIndex(0),
	}
	if err := f.index(configFile, p.Config); err != nil {
		return nil, err
	}
	if err := f.index(credentialsFile, p.Credentials); err != nil {
		return nil, err
	}
	return f, nil
}

// index walks every line of one file once: headers open sections, other lines are only checked for being well
// formed. Nothing is allocated per line; a header allocates only when its name needs its white space collapsed.
func (f *Files) index(file fileKind, path string) error {
	text := f.text[file]
	open := int32(-1) // the ref whose body is being read
	lineNo := 0
	for off := 0; off < len(text); {
		lineStart := off
		line, next := nextLine(text, off)
		off = next
		lineNo++
		if line == "" {
			continue
		}
		first, indented := line[0], false
		if isLineSpace(first) || first >= utf8.RuneSelf || first == '\v' || first == '\f' || first == '\r' {
			n := leadingSpaceLen(line)
			if n == len(line) {
				continue // blank
			}
			first, indented = line[n], n > 0
		}
		if first == '#' || first == ';' {
			continue
		}
		if first == '[' {
			if name, ok := sectionHeader(line); ok {
				if open >= 0 {
					f.refs[open].end = lineStart
				}
				open = f.addSection(file, name, next)
				continue
			}
		}
		if !indented && isMalformed(line) {
			return &ParseError{File: path, Line: lineNo}
		}
	}
	if open >= 0 {
		f.refs[open].end = len(text)
	}
	return nil
}

// addSection records an occurrence of a section whose body starts at bodyStart and returns its ref, or -1 for a
// section that is neither a profile nor an sso-session.
func (f *Files) addSection(file fileKind, name string, bodyStart int) int32 {
	index, sections := f.profiles, &f.profileSections
	var profileName string
	var ok, profilePrefix bool
	if file == configFile {
		if session, isSession := strings.CutPrefix(name, "sso-session "); isSession {
			index, sections, profileName, ok = f.sessions, &f.sessionSections, unquoteName(session), true
		} else if profileName, ok = configProfile(name); ok {
			profilePrefix = name != profileName
		}
	} else {
		profileName, ok = credentialsProfile(name)
	}
	if !ok {
		return -1
	}

	ref := int32(len(f.refs))
	f.refs = append(f.refs, sectionRef{start: bodyStart, end: bodyStart, next: -1, file: file, profilePrefix: profilePrefix})
	if pos, added := index.insert(profileName); !added {
		s := &(*sections)[pos]
		f.refs[s.last].next = ref
		s.last = ref
	} else {
		*sections = append(*sections, section{first: ref, last: ref})
	}
	return ref
}

// Names returns every profile name, each once, in file order (config file first).
func (f *Files) Names() []string { return slices.Clone(f.profiles.names) }

// Profile returns the merged view of profile name; false when neither file defines it. Settings from the
// credentials file win over the config file's, as in the SDK.
func (f *Files) Profile(name string) (Profile, bool) {
	i, ok := f.profiles.lookup(name)
	if !ok {
		return Profile{}, false
	}
	s := f.profileSections[i]
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.parsed[i]; ok {
		p.Values = maps.Clone(p.Values)
		return p, true
	}

	p := Profile{Name: name}
	// A [profile default] section in the config file replaces any [default] there.
	skipPlainDefault := false
	for r := s.first; r >= 0; r = f.refs[r].next {
		if ref := f.refs[r]; ref.file == configFile && ref.profilePrefix && name == "default" {
			skipPlainDefault = true
		}
	}
	inConfig := func(ref sectionRef) bool {
		return ref.file == configFile && (ref.profilePrefix || !skipPlainDefault)
	}
	inCredentials := func(ref sectionRef) bool { return ref.file == credentialsFile }
	config, credentials := f.parseRefs(s, inConfig), f.parseRefs(s, inCredentials)
	p.ConfigFile, p.CredentialsFile = config != nil, credentials != nil
	keys, fromConfig := f.keySection(s, inCredentials, credentials), false
	if !holdsKeys(keys) {
		keys, fromConfig = f.keySection(s, inConfig, config), true
	}
	p.Values = make(map[string]string, len(config)+len(credentials))
	maps.Copy(p.Values, config)
	maps.Copy(p.Values, credentials)
	for _, k := range KeyNames {
		delete(p.Values, k)
	}
	if holdsKeys(keys) {
		p.KeysInConfig = fromConfig
		p.KeysErr = f.takeKeys(p.Values, keys, name, fromConfig)
	}

	if f.parsed == nil {
		f.parsed = make(map[int]Profile)
	}
	f.parsed[i] = p
	p.Values = maps.Clone(p.Values)
	return p, true
}

// keySection returns the settings of the occurrence of s (among those use accepts) that the key set comes from: the
// last one holding any key, so that a section repeated in a file never pairs one occurrence's key id with another's
// secret. merged is what parseRefs made of them, which is that occurrence when there is only one.
func (f *Files) keySection(s section, use func(sectionRef) bool, merged map[string]string) map[string]string {
	n := 0
	for r := s.first; r >= 0; r = f.refs[r].next {
		if use(f.refs[r]) {
			n++
		}
	}
	if n <= 1 {
		return merged
	}
	var last map[string]string
	for r := s.first; r >= 0; r = f.refs[r].next {
		if ref := f.refs[r]; use(ref) {
			p := sectionParser{values: make(map[string]string, 8)}
			parseBody(&p, f.text[ref.file][ref.start:ref.end])
			if holdsKeys(p.values) {
				last = p.values
			}
		}
	}
	return last
}

// holdsKeys reports a section holding any part of a key set.
func holdsKeys(values map[string]string) bool {
	for _, k := range KeyNames {
		if values[k] != "" {
			return true
		}
	}
	return false
}

// takeKeys copies the key set of one file's section into dst, the legacy aws_security_token first as the AWS CLI
// reads it, and returns a *KeysError when the set is partial.
func (f *Files) takeKeys(dst, keys map[string]string, profile string, fromConfig bool) error {
	id, secret := keys["aws_access_key_id"], keys["aws_secret_access_key"]
	tokenKey := "aws_security_token"
	if keys[tokenKey] == "" {
		tokenKey = "aws_session_token"
	}
	for _, v := range [...][2]string{{"aws_access_key_id", id}, {"aws_secret_access_key", secret}, {"aws_session_token", keys[tokenKey]}} {
		if v[1] != "" {
			dst[v[0]] = v[1]
		}
	}
	if id != "" && secret != "" {
		return nil
	}
	e := &KeysError{Profile: profile, File: "the credentials file " + f.paths.Credentials, Section: profile}
	if fromConfig {
		e.File, e.Section = "the config file "+f.paths.Config, ConfigSection(profile)
	}
	switch {
	case id != "":
		e.Has, e.Missing = "aws_access_key_id", "aws_secret_access_key"
	case secret != "":
		e.Has, e.Missing = "aws_secret_access_key", "aws_access_key_id"
	default:
		e.Has, e.Missing = tokenKey, "aws_access_key_id and aws_secret_access_key"
	}
	return e
}

// ConfigSection is the config file's header for a profile: [default] or [profile NAME].
func ConfigSection(profile string) string {
	if profile == "default" {
		return profile
	}
	return "profile " + profile
}

// SSOSession returns the settings of the config file's [sso-session name] section.
func (f *Files) SSOSession(name string) (map[string]string, bool) {
	i, ok := f.sessions.lookup(strings.TrimSpace(name))
	if !ok {
		return nil, false
	}
	return f.parseRefs(f.sessionSections[i], func(sectionRef) bool { return true }), true
}

// parseRefs parses the occurrences of s that use accepts, in file order, into one map; nil when none does.
func (f *Files) parseRefs(s section, use func(sectionRef) bool) map[string]string {
	var p sectionParser
	for r := s.first; r >= 0; r = f.refs[r].next {
		ref := f.refs[r]
		if !use(ref) {
			continue
		}
		if p.values == nil {
			p.values = make(map[string]string, 8)
		}
		p.reset()
		parseBody(&p, f.text[ref.file][ref.start:ref.end])
	}
	return p.values
}

// parseBody feeds every line of a section body to p.
func parseBody(p *sectionParser, body string) {
	for off := 0; off < len(body); {
		var line string
		line, off = nextLine(body, off)
		p.parseLine(line)
	}
}
