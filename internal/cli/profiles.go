package cli

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/session"
)

// listProfileNames is the completion fast path: a header scan of the two
// files, no SDK, no cache, no network.
func listProfileNames(_ *Options, d Deps) error {
	names, err := awsfile.ProfileNames(awsfile.DefaultPaths())
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	_, err = fmt.Fprint(d.Streams.Out, b.String())
	return err
}

// profileRow is one line of `assume -l`.
type profileRow struct {
	Name, Kind, Source, MFA, Region string
}

func describe(files *awsfile.Files, name string) profileRow {
	row := profileRow{Name: name, Kind: "invalid", Source: "-", MFA: "-", Region: "-"}
	p, err := session.Resolve(lookup{files}, name)
	if err != nil {
		// Show what the file says even when the chain is broken.
		if v, ok := files.Profile(name); ok {
			row.Source = firstNonEmpty(v.Values["source_profile"], v.Values["credential_source"], "-")
			row.Region = firstNonEmpty(v.Values["region"], "-")
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
	}
	if s := p.MFA(); s != "" {
		row.MFA = "yes"
	}
	row.Region = firstNonEmpty(p.RegionOrSource(), "-")
	return row
}

// listTable prints every profile with what it is and its cached session's time left.
func listTable(d Deps) error {
	files, err := awsfile.Load(awsfile.DefaultPaths())
	if err != nil {
		return err
	}
	left := map[string]time.Time{}
	if store, err := cacheStore(d); err == nil {
		for _, e := range store.Entries() {
			if e.Credentials.Expires.After(left[e.Profile]) {
				left[e.Profile] = e.Credentials.Expires
			}
		}
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "PROFILE\tKIND\tSOURCE\tMFA\tREGION\tSESSION")
	now := d.Now()
	for _, name := range files.Names() {
		r := describe(files, name)
		sess := "-"
		if exp, ok := left[name]; ok {
			if rest := exp.Sub(now); rest > 0 {
				sess = shortDur(rest.Round(time.Minute)) + " left"
			} else {
				sess = "expired"
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Kind, r.Source, r.MFA, r.Region, sess)
	}
	w.Flush()
	_, err = fmt.Fprint(d.Streams.Out, b.String())
	return err
}

// pick asks which profile to use when none was named.
func pick(files *awsfile.Files, d Deps) (string, error) {
	names := files.Names()
	if len(names) == 0 {
		return "", &ExitError{Code: ExitFailure, Err: fmt.Errorf("no profiles found in %s or %s; run assume --setup NAME or aws configure", awsfile.DefaultPaths().Config, awsfile.DefaultPaths().Credentials)}
	}
	if d.Prompter == nil {
		return "", usageErr("name a profile: assume PROFILE (assume -l lists them)")
	}
	rows := make([]profileRow, len(names))
	for i, n := range names {
		rows[i] = describe(files, n)
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
	if s := suggest(name, names, 3); len(s) > 0 {
		msg += "; did you mean " + quoteList(s) + "?"
	} else {
		msg += "; assume -l lists the profiles"
	}
	return &ExitError{Code: ExitFailure, Err: errors.New(msg)}
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = v
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// suggest returns up to n names close to name: by edit distance, with names
// containing it (or contained in it) ranked as if one edit away.
func suggest(name string, names []string, n int) []string {
	type cand struct {
		name       string
		dist, real int
	}
	lower := strings.ToLower(name)
	limit := max(2, len(name)/3)
	var cands []cand
	for _, c := range names {
		lc := strings.ToLower(c)
		real := editDistance(lower, lc)
		d := real
		if d > 1 && lower != "" && (strings.Contains(lc, lower) || strings.Contains(lower, lc)) {
			d = 1
		}
		if d <= limit {
			cands = append(cands, cand{c, d, real})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].real < cands[j].real
	})
	var out []string
	for i := 0; i < len(cands) && i < n; i++ {
		out = append(out, cands[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance over bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
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
