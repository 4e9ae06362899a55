package cli

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
)

// A mode is one thing a run of assume does. The table below is the one place that says which
// flags go with which mode; Run picks the mode and refuses every other flag before any work.
//
// To add a mode (the console, the credential server, keyring storage): add its flags to Options
// (each with a name tag), add one row here — the flag that selects it, the other flags it takes,
// and its run function — and write that function in its own file, as an options struct built from
// Options plus a run function that tests call directly (see export.go). A mode selected by a flag
// together with "--" (`--server -- COMMAND`) lists "--" among its flags; rows are tried in order,
// so put it before the exec row. docs/cli.md must then describe the flags (a test checks it
// against --help).
type mode struct {
	// selector is the flag that chooses this mode; "" for the default (export).
	selector string
	// also are other flags that choose this mode on their own (--console-url).
	also []string
	// flags are the other flags this mode takes; any other flag given is a usage error.
	flags []string
	// conflict, when set, is the usage error for a flag this mode does not take: %[1]s is this
	// mode's flag, %[2]s the other one. Default: "%[1]s cannot be combined with %[2]s; drop one of them".
	conflict string
	// example, for a flag that only this mode takes, shows it in use: %s is that flag.
	example string
	run     func(ctx context.Context, o *Options, d Deps) error
}

// Pseudo-flags: the positional PROFILE and the "--" that runs a command.
const (
	profileArg = "PROFILE"
	commandArg = "--"
)

// The flags of getting credentials, shared by an export and -- COMMAND.
var credentialFlags = []string{profileArg, "mfa-token", "mfa-process", "duration", "session-duration", "region",
	"role-arn", "external-id", "session-name", "no-session", "refresh", "non-interactive", "keyring", "write-profile"}

// What gets credentials without writing them: the credential server hands out renewing
// credentials, not one set, and the console writes none.
var credentialFlagsNoWrite = slices.DeleteFunc(slices.Clone(credentialFlags), func(f string) bool { return f == "write-profile" })

// The credential server needs the command after "--" too.
var serverFlags = append(slices.Clone(credentialFlagsNoWrite), commandArg)

// The console has its own flags too.
var consoleFlags = append(slices.Clone(credentialFlagsNoWrite), "console-url", "service", "sign-out")

var setupFlags = []string{profileArg, "mfa-token", "mfa-process", "region", "keyring",
	"qr-file", "access-key-id", "secret-stdin", "mfa-serial", "mfa-device-name", "seed-file"}

// modes, in order of precedence: the first whose selector was given runs.
var modes = []mode{
	{selector: "version", run: runVersion},
	{selector: "init", flags: []string{"auto-refresh"}, run: runInit,
		example: `eval "$(assume --init bash %s)"`},
	{selector: "list-profiles", run: func(_ context.Context, o *Options, d Deps) error { return listProfileNames(o, d) }},
	{selector: "clear-cache", run: func(_ context.Context, _ *Options, d Deps) error { return clearCache(d) }},
	{selector: "setup", flags: setupFlags, run: runSetup,
		conflict: "--setup prints no credentials and cannot be combined with %[2]s",
		example:  "assume --setup PROFILE %s"},
	{selector: "to-keyring", also: []string{"to-file"}, flags: []string{profileArg, "keyring", "region"}, run: runKeyringMove,
		conflict: "%[1]s moves a key and prints no credentials; it cannot be combined with %[2]s"},
	{selector: "unset", flags: []string{"format"}, run: runUnset},
	{selector: "list", run: func(_ context.Context, _ *Options, d Deps) error { return listTable(d) }},
	{selector: "console", also: []string{"console-url"}, flags: consoleFlags, run: runConsole,
		example: "assume PROFILE --console %s"},
	{selector: "server", flags: serverFlags, run: runServer,
		example:  "assume PROFILE %s -- COMMAND",
		conflict: "%[2]s cannot be combined with --server, which serves renewing credentials to a command; drop one of them"},
	{selector: commandArg, flags: credentialFlags, run: runExport,
		conflict: "%[2]s has no effect with -- COMMAND; drop one of them"},
	{flags: append([]string{"format"}, credentialFlags...), run: runExport},
}

// chooseMode returns the mode the given flags select, or the usage error for a flag that does
// not go with it.
func chooseMode(o *Options) (*mode, error) {
	given := givenFlags(o)
	m := &modes[len(modes)-1]
	for i := range modes {
		if modes[i].selected(given) {
			m = &modes[i]
			break
		}
	}
	for _, f := range given {
		if f == m.selector || slices.Contains(m.also, f) || slices.Contains(m.flags, f) {
			continue
		}
		if only := onlyMode(f); only != nil && only.example != "" && only.selector != f {
			return nil, usageErr("%s goes with %s, as in "+only.example, flagName(o, f), flagName(o, only.selector), flagName(o, f))
		}
		format := m.conflict
		if format == "" {
			format = "%[1]s cannot be combined with %[2]s; drop one of them"
		}
		self := "PROFILE"
		if m.selector != "" {
			self = flagName(o, m.selector)
		}
		return nil, usageErr(format, self, flagName(o, f))
	}
	return m, nil
}

// selected reports whether the given flags choose m.
func (m *mode) selected(given []string) bool {
	if m.selector == "" {
		return false
	}
	if slices.Contains(given, m.selector) {
		return true
	}
	for _, f := range m.also {
		if slices.Contains(given, f) {
			return true
		}
	}
	return false
}

// onlyMode is the one mode that takes flag f, if only one does.
func onlyMode(f string) *mode {
	var found *mode
	for i := range modes {
		if modes[i].selector == f || slices.Contains(modes[i].also, f) || slices.Contains(modes[i].flags, f) {
			if found != nil {
				return nil
			}
			found = &modes[i]
		}
	}
	return found
}

// flagName is f as a person types it: --name, "--", or the profile name given.
func flagName(o *Options, f string) string {
	switch f {
	case profileArg:
		return fmt.Sprintf("the profile name %q", o.Profile)
	case commandArg:
		return commandArg
	}
	return "--" + f
}

// optionField is one flag of Options: its name and where its value sits.
type optionField struct {
	name  string
	index []int
}

// optionFields lists the flags of Options in declaration order, from their name tags, once.
var optionFields = sync.OnceValue(func() []optionField {
	var fields []optionField
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			at := append(slices.Clone(index), i)
			_, embed := f.Tag.Lookup("embed")
			_, arg := f.Tag.Lookup("arg")
			switch name := f.Tag.Get("name"); {
			case embed:
				walk(f.Type, at)
			case arg:
				fields = append(fields, optionField{profileArg, at})
			case name != "":
				fields = append(fields, optionField{name, at})
			}
		}
	}
	walk(reflect.TypeFor[Options](), nil)
	return fields
})

// givenFlags names the flags set in o, in the order Options declares them, then "--".
func givenFlags(o *Options) []string {
	var given []string
	v := reflect.ValueOf(o).Elem()
	for _, f := range optionFields() {
		if !v.FieldByIndex(f.index).IsZero() {
			given = append(given, f.name)
		}
	}
	if o.Exec {
		given = append(given, commandArg)
	}
	return given
}
