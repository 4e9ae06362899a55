// Package shell knows the shells `assume` works with: for each one its name and aliases, the
// process names that shell detection takes for it, the output format it evaluates, its wrapper
// function (the files here) and its completion script (in package completions). This table is
// the one place that says so; quoting for each format stays in internal/render.
package shell

import (
	"embed"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/assume-cli/assume/completions"
	"github.com/assume-cli/assume/internal/render"
)

// wrappers are the wrapper functions. assume.sh serves both bash and zsh: it uses only what the
// two have in common.
//
// The opt-in prompt hooks of --auto-refresh sit beside them.
//
//go:embed assume.sh assume.fish assume.ps1 autorefresh.sh autorefresh.fish autorefresh.ps1
var wrappers embed.FS

// Shell is one shell.
type Shell struct {
	// Name is how users name the shell in --init and --format.
	Name string
	// Aliases are other names accepted wherever Name is.
	Aliases []string
	// Processes are the process names (lower case, without .exe) detection takes for it.
	Processes []string
	// Format is what `assume PROFILE` prints for it to evaluate.
	Format render.Format
	// wrapper and completion name the files of its integration; both empty when it has none.
	// autoRefresh is its prompt hook for --auto-refresh.
	wrapper, completion, autoRefresh string
	// noInit says why a shell has no integration, for the --init error.
	noInit string
	// RCLine is the line that loads the integration from the shell's start-up file RCFile (as
	// a person writes its path); the README's install table shows the same. ByHand evaluates
	// one run's output without the wrapper (%s: the profile). Empty without an integration.
	RCLine, RCFile, ByHand string
}

// shells are in the order users see them.
var shells = []Shell{
	{Name: "bash", Processes: []string{"bash"}, Format: render.Bash, wrapper: "assume.sh", completion: "assume.bash", autoRefresh: "autorefresh.sh",
		RCLine: `eval "$(assume --init bash)"`, RCFile: "~/.bashrc", ByHand: `eval "$(assume %s)"`},
	{Name: "zsh", Processes: []string{"zsh"}, Format: render.Zsh, wrapper: "assume.sh", completion: "_assume", autoRefresh: "autorefresh.sh",
		RCLine: `eval "$(assume --init zsh)"`, RCFile: "~/.zshrc", ByHand: `eval "$(assume %s)"`},
	{Name: "fish", Processes: []string{"fish"}, Format: render.Fish, wrapper: "assume.fish", completion: "assume.fish", autoRefresh: "autorefresh.fish",
		RCLine: "assume --init fish | source", RCFile: "~/.config/fish/config.fish", ByHand: "assume %s | source"},
	{Name: "powershell", Aliases: []string{"pwsh"}, Processes: []string{"pwsh", "powershell"},
		Format: render.PowerShell, wrapper: "assume.ps1", completion: "assume.ps1", autoRefresh: "autorefresh.ps1",
		RCLine: "assume --init powershell | Out-String | Invoke-Expression", RCFile: "$PROFILE", ByHand: "assume %s | Invoke-Expression"},
	// Every POSIX shell reads the sh format. They share no completion mechanism, and a wrapper
	// would only save typing eval "$(…)", so they get no --init.
	{Name: "sh", Processes: []string{"sh", "dash", "ash", "busybox", "ksh", "ksh93", "mksh", "lksh", "pdksh", "oksh",
		"posh", "yash"}, Format: render.Sh,
		noInit: `POSIX shells have no tab completion to install; run eval "$(assume PROFILE)" there`},
}

// All returns every shell.
func All() []Shell { return append([]Shell(nil), shells...) }

// Names returns the shells that have an integration for --init, without aliases.
func Names() []string {
	var names []string
	for _, s := range shells {
		if s.wrapper != "" {
			names = append(names, s.Name)
		}
	}
	return names
}

// Lookup finds a shell by its name or an alias, exactly as written.
func Lookup(name string) (Shell, bool) {
	for _, s := range shells {
		if s.Name == name {
			return s, true
		}
		for _, a := range s.Aliases {
			if a == name {
				return s, true
			}
		}
	}
	return Shell{}, false
}

// POSIX is the shell whose format every POSIX shell reads: what detection chooses for a shell
// it does not know by name.
func POSIX() Shell {
	s, _ := Lookup("sh")
	return s
}

// FromProcess finds the shell a process name or path belongs to: "-zsh" (a login shell),
// "/usr/bin/fish" and "pwsh.exe" count.
func FromProcess(name string) (Shell, bool) {
	name = strings.TrimPrefix(filepath.Base(strings.TrimSpace(name)), "-")
	name = strings.TrimSuffix(strings.ToLower(name), ".exe")
	for _, s := range shells {
		for _, p := range s.Processes {
			if p == name {
				return s, true
			}
		}
	}
	return Shell{}, false
}

// ParseFormat reads --format: a shell's name or alias gives its format, and the formats that
// are no shell (dotenv, json, credential-process) are taken by their names.
func ParseFormat(name string) (render.Format, error) {
	if s, ok := Lookup(name); ok {
		return s.Format, nil
	}
	f, err := render.ParseFormat(name)
	if err != nil {
		return "", fmt.Errorf("unknown format %q: use one of %s%s", name, strings.Join(render.Formats(), ", "), aliasNote())
	}
	return f, nil
}

// aliasNote lists the aliases, as " (or pwsh for powershell)".
func aliasNote() string {
	var notes []string
	for _, s := range shells {
		for _, a := range s.Aliases {
			notes = append(notes, a+" for "+s.Name)
		}
	}
	if len(notes) == 0 {
		return ""
	}
	return " (or " + strings.Join(notes, ", ") + ")"
}

// Wrapper returns the shell's wrapper function, or nil.
func (s Shell) Wrapper() []byte { return readOrNil(wrappers, s.wrapper) }

// AutoRefresh returns the prompt hook of `assume --init SHELL --auto-refresh`, to follow the
// wrapper and completion: before each prompt it renews the exported credentials of
// ASSUME_PROFILE when they are about to expire, and starts no process until then; nil for a
// shell without one.
func (s Shell) AutoRefresh() []byte { return readOrNil(wrappers, s.autoRefresh) }

// Completion returns the shell's completion script, or nil.
func (s Shell) Completion() []byte { return readOrNil(completions.Files, s.completion) }

func readOrNil(fs embed.FS, name string) []byte {
	if name == "" {
		return nil
	}
	b, err := fs.ReadFile(name)
	if err != nil {
		panic("shell: an embedded file is missing: " + name) // the table names only embedded files
	}
	return b
}

// Init returns the integration for the shell named name (or an alias): the wrapper function
// followed by the completion script, meant for `eval "$(assume --init bash)"` (bash, zsh),
// `assume --init fish | source` and `assume --init powershell | Out-String | Invoke-Expression`.
// An unknown name, or a shell without an integration, is an error that lists the valid names.
func Init(name string) ([]byte, error) {
	s, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown shell %q for --init: choose one of %s%s", name, strings.Join(Names(), ", "), aliasNote())
	}
	if s.wrapper == "" {
		return nil, fmt.Errorf("%s has no shell integration: %s (--init knows %s)", s.Name, s.noInit, strings.Join(Names(), ", "))
	}
	wrapper, completion := s.Wrapper(), s.Completion()
	out := make([]byte, 0, len(wrapper)+1+len(completion))
	out = append(out, wrapper...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return append(out, completion...), nil
}

// AutoRefresh returns the prompt hook of --init NAME --auto-refresh.
func AutoRefresh(name string) ([]byte, error) {
	s, ok := Lookup(name)
	if !ok || s.autoRefresh == "" {
		return nil, fmt.Errorf("--auto-refresh has no prompt hook for %q: it knows %s", name, strings.Join(Names(), ", "))
	}
	return s.AutoRefresh(), nil
}

// WithAutoRefresh appends the prompt hook of --init NAME --auto-refresh to script.
func WithAutoRefresh(name string, script []byte) ([]byte, error) {
	hook, err := AutoRefresh(name)
	if err != nil {
		return nil, err
	}
	if n := len(script); n > 0 && script[n-1] != '\n' {
		script = append(script, '\n')
	}
	return append(script, hook...), nil
}

// Integration returns the shell whose integration --init can load ("pwsh" is PowerShell); ok is
// false for one without (sh) or an unknown name.
func Integration(name string) (s Shell, ok bool) {
	s, ok = Lookup(name)
	return s, ok && s.RCLine != ""
}

// CheckReader refuses to feed one shell's integration to another: reader is the shell reading
// --init's output right now (the parent process of a pipe), and requested the one asked for.
// The rc line of the wrong shell (bash's eval in ~/.zshrc, fish's in ~/.bashrc) would load a
// completion the shell cannot run, or fail to parse.
func CheckReader(requested, reader string) error {
	want, ok := Integration(requested)
	if !ok {
		return nil
	}
	running, ok := Integration(reader)
	if !ok || running.Name == want.Name {
		return nil
	}
	return fmt.Errorf("this shell is %s, but the line loads the %s integration: in %s, use %s instead",
		running.Name, want.Name, running.RCFile, running.RCLine)
}

// PickFormat is the format given with --format (explicit), else the calling shell's (detect
// names it), else bash's.
func PickFormat(given string, detect func() string) (f render.Format, explicit bool, err error) {
	if given != "" {
		f, err := ParseFormat(given)
		return f, true, err
	}
	if f, err := ParseFormat(detect()); err == nil {
		return f, false, nil
	}
	return render.Bash, false, nil
}
