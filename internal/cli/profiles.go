package cli

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/fastpath"
	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/session"
)

// listProfileNames is the completion fast path: a header scan of the two
// files, no SDK, no cache, no network.
func listProfileNames(_ *Options, d Deps) error {
	return fastpath.ListProfiles(d.Streams.Out, d.Paths)
}

// profileRow is one line of `assume -l`.
type profileRow struct {
	Name, Kind, Source, MFA, Region string
}

// profileMemo is a session.Lookup that fetches each profile's settings once: with thousands of
// roles sharing one source profile, describing them all would otherwise copy that source's
// settings thousands of times. The maps are shared, so callers only read them.
type profileMemo struct {
	files  *awsfile.Files
	values map[string]memoEntry
}

type memoEntry struct {
	profile awsfile.Profile
	ok      bool
}

func newProfileMemo(files *awsfile.Files) *profileMemo {
	return &profileMemo{files: files, values: make(map[string]memoEntry)}
}

func (m *profileMemo) Profile(name string) (awsfile.Profile, bool) {
	e, seen := m.values[name]
	if !seen {
		e.profile, e.ok = m.files.Profile(name)
		m.values[name] = e
	}
	return e.profile, e.ok
}

func describe(profiles session.Lookup, name string) profileRow {
	// A broken profile shows as "invalid", except one that only holds settings (a [default] with a region, say):
	// not broken, just not for assume, it shows as "none".
	row := profileRow{Name: name, Kind: "invalid", Source: "-", MFA: "-", Region: "-"}
	p, err := session.Resolve(profiles, name)
	if err != nil {
		// Show what the file says even when the chain is broken.
		if f, ok := profiles.Profile(name); ok {
			v := f.Values
			row.Source = cmp.Or(v["source_profile"], v["credential_source"], "-")
			row.Region = cmp.Or(v["region"], "-")
			if session.KindOf(f, false) == session.KindNone {
				row.Kind = string(session.KindNone)
			}
		}
		return row
	}
	row.Kind = string(p.Kind)
	switch {
	case p.Source != nil:
		row.Source = p.Source.Name
	case p.CredentialSource != "":
		row.Source = p.CredentialSource
	case p.SSOSession != "":
		row.Source = "sso-session " + p.SSOSession
	case p.SSOStartURL != "":
		row.Source = p.SSOStartURL
	case p.WebIdentityTokenFile != "":
		row.Source = "token " + filepath.Base(p.WebIdentityTokenFile)
	case p.InKeyring():
		row.Source = "keyring " + p.Keyring
	case p.Kind == session.KindLogin:
		row.Source = "aws login"
	}
	if s := p.MFA(); s != "" {
		row.MFA = "yes"
	}
	row.Region = cmp.Or(p.RegionOrSource(), "-")
	return row
}

// listTable prints every profile with what it is and its cached session's time left. It reads
// the files and the cache folder only: no STS call, no MFA prompt.
func listTable(d Deps) error {
	files, err := awsfile.Load(d.Paths)
	if err != nil {
		return err
	}
	var cached []session.Entry
	if store, err := cacheStore(d); err == nil {
		cached = store.Entries()
	}
	expires := latestExpiry(cached)
	now := d.Now()
	profiles := newProfileMemo(files)
	names := files.Names()
	rows := make([][]string, 0, len(names)+1)
	rows = append(rows, []string{"PROFILE", "KIND", "SOURCE", "MFA", "REGION", "SESSION"})
	for _, name := range names {
		r := describe(profiles, name)
		sess := "-"
		if exp, ok := expires[cacheOwner{name, cachedKind(r.Kind)}]; ok {
			sess = timeLeft(exp.Sub(now))
		}
		rows = append(rows, display.Lines([]string{r.Name, r.Kind, r.Source, r.MFA, r.Region, sess}))
	}
	return writeColumns(d.Streams.Out, rows)
}

// writeColumns prints rows as left-aligned columns two spaces apart, each as wide as its widest
// cell (in runes), with no blanks at the ends of lines. Lines go out as they are made: with
// thousands of rows, neither the whole text nor a copy of every cell is held in memory.
func writeColumns(out io.Writer, rows [][]string) error {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	const gap = "  "
	spaces := strings.Repeat(" ", slices.Max(append(widths, 0))+len(gap))
	w := bufio.NewWriterSize(out, 32<<10)
	for _, r := range rows {
		for i, c := range r {
			w.WriteString(c)
			if i < len(r)-1 {
				w.WriteString(spaces[:widths[i]-utf8.RuneCountInString(c)+len(gap)])
			}
		}
		w.WriteByte('\n')
	}
	return w.Flush()
}

// cacheOwner names what a cache entry belongs to: a role profile's own role credentials
// ("role"), or an MFA user's GetSessionToken session ("session").
type cacheOwner struct{ profile, kind string }

// latestExpiry maps each owner to the latest expiry among its entries. Entries of other kinds
// under the same name (a --role-arn role assumed from a user, say) are kept apart by kind.
func latestExpiry(entries []session.Entry) map[cacheOwner]time.Time {
	m := make(map[cacheOwner]time.Time, len(entries))
	for _, e := range entries {
		k := cacheOwner{e.Profile, e.Kind}
		if e.Credentials.Expires.After(m[k]) {
			m[k] = e.Credentials.Expires
		}
	}
	return m
}

// cachedKind is the kind of cache entry that is a profile's own session; "" for kinds assume
// does not cache.
func cachedKind(kind string) string {
	switch session.Kind(kind) {
	case session.KindRole:
		return "role"
	case session.KindMFAUser:
		return "session"
	}
	return ""
}

// timeLeft is the SESSION cell. Credentials within session.Margin of their end are no longer
// handed out, so they show as expiring rather than as minutes that cannot be used.
func timeLeft(rest time.Duration) string {
	switch {
	case rest <= 0:
		return "expired"
	case rest <= session.Margin:
		return "expiring"
	}
	return session.ShortDuration(rest) + " left"
}

// pick asks which profile to use when none was named.
func pick(files *awsfile.Files, d Deps) (string, error) {
	names := files.Names()
	if len(names) == 0 {
		return "", &ExitError{Code: ExitFailure, Err: fmt.Errorf("no profiles found in %s or %s; run assume --setup NAME or aws configure", d.Paths.Config, d.Paths.Credentials)}
	}
	if d.Prompter == nil {
		return "", usageErr("name a profile: assume PROFILE (assume -l lists them)")
	}
	profiles := newProfileMemo(files)
	rows := make([]profileRow, len(names))
	for i, n := range names {
		rows[i] = describe(profiles, n)
	}
	i, err := d.Prompter.Select("Profile:", names, func(i int) string {
		r := rows[i]
		if r.Region == "-" {
			return r.Kind
		}
		return r.Kind + ", " + r.Region
	})
	if errors.Is(err, iostreams.ErrNoTerminal) {
		return "", usageErr("name a profile: assume PROFILE (assume -l lists them)")
	}
	if err != nil {
		return "", err
	}
	return names[i], nil
}

// unknownProfile is the error for a name in neither file, with the closest names.
func unknownProfile(name string, names []string) error {
	msg := fmt.Sprintf("profile %q is not in your AWS config or credentials file", name)
	if bare, ok := withoutProfileWord(name, names); ok {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s: the config file's [profile %s] header names the profile %s, so run assume %s", msg, bare, bare, bare)}
	}
	if s := suggest(name, names, 3); len(s) > 0 {
		msg += "; did you mean " + orList(display.Lines(s)) + "?"
	} else {
		msg += "; assume -l lists the profiles"
	}
	return &ExitError{Code: ExitFailure, Err: errors.New(msg)}
}

// withoutProfileWord reports whether name is "profile X" for an existing profile X: the
// config file's header typed as the profile's name.
func withoutProfileWord(name string, names []string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "profile ")
	if !ok {
		return "", false
	}
	rest = strings.TrimSpace(rest)
	return rest, rest != "" && slices.Contains(names, rest)
}

// orList joins names as "a", "a or b", "a, b or c".
func orList(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// suggest returns up to n of the names closest to name, ignoring case: those at the smallest
// distance found (so one good match is not followed by near misses), nearest in length first,
// then in file order. None when nothing is close.
func suggest(name string, names []string, n int) []string {
	type candidate struct {
		name           string
		score, lenDiff int
	}
	typed := strings.ToLower(name)
	var cands []candidate
	best := noMatch
	var rows editRows
	for _, c := range names {
		lc := strings.ToLower(c)
		score := closeness(typed, lc, &rows)
		if score == noMatch || score > best {
			continue
		}
		if score < best {
			best, cands = score, cands[:0]
		}
		cands = append(cands, candidate{c, score, abs(len(lc) - len(typed))})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].lenDiff < cands[j].lenDiff })
	out := make([]string, 0, min(n, len(cands)))
	for i := 0; i < len(cands) && i < n; i++ {
		out = append(out, cands[i].name)
	}
	return out
}

// noMatch is the closeness of a name too far from the typed one to suggest.
const noMatch = int(^uint(0) >> 1)

// closeness scores candidate (lowercase) against typed (lowercase); lower is closer. Each edit
// counts 2, up to a third of the typed length (at least 2 edits); a name that contains the typed
// one, or is contained in it ("prod" for "prod-admin"), scores 3: between one edit and two.
func closeness(typed, candidate string, rows *editRows) int {
	limit := max(2, len(typed)/3)
	score := noMatch
	// The distance is at least the difference in length: beyond the limit, skip the table.
	if abs(len(candidate)-len(typed)) <= limit {
		if d := rows.distance(typed, candidate); d <= limit {
			score = 2 * d
		}
	}
	if score > 3 && contains(candidate, typed) {
		score = 3
	}
	return score
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// contains reports whether one of a and b holds the other, when the shorter has at least three
// bytes: a one-letter profile is inside far too many typos to be a useful suggestion.
func contains(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	return len(b) >= 3 && strings.Contains(a, b)
}

// editDistance is the Levenshtein distance over bytes.
func editDistance(a, b string) int {
	var rows editRows
	return rows.distance(a, b)
}

// editRows holds the two rows of the distance table, reused from one comparison to the next so
// that checking thousands of names allocates almost nothing.
type editRows struct{ prev, cur []int }

func (r *editRows) distance(a, b string) int {
	if cap(r.prev) < len(b)+1 {
		r.prev, r.cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	prev, cur := r.prev[:len(b)+1], r.cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
