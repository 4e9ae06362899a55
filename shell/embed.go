// Package shell holds the shell integration of `assume`: a wrapper function per shell that runs
// the binary and evaluates its output in the current shell, followed by the completion script.
package shell

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/assume-cli/assume/completions"
)

var (
	// assume.sh serves both bash and zsh: the wrapper uses only what the two have in common.
	//go:embed assume.sh
	posixWrapper []byte
	//go:embed assume.fish
	fishWrapper []byte
	//go:embed assume.ps1
	powershellWrapper []byte

	// The opt-in prompt hooks of --auto-refresh.
	//go:embed autorefresh.sh
	posixAutoRefresh []byte
	//go:embed autorefresh.fish
	fishAutoRefresh []byte
	//go:embed autorefresh.ps1
	powershellAutoRefresh []byte
)

// names lists the shells in the order they are shown to users; "pwsh" is accepted as an alias.
var names = []string{"bash", "zsh", "fish", "powershell"}

// Names returns the shells Init accepts (without the alias "pwsh").
func Names() []string { return append([]string(nil), names...) }

// Init returns the integration for one shell: the wrapper function followed by the completion
// script, meant for `eval "$(assume --init bash)"` (bash, zsh), `assume --init fish | source`
// and `assume --init powershell | Out-String | Invoke-Expression`. "pwsh" is an alias of
// "powershell". An unknown name is an error that lists the valid ones.
func Init(name string) ([]byte, error) {
	var wrapper []byte
	switch name {
	case "bash", "zsh":
		wrapper = posixWrapper
	case "fish":
		wrapper = fishWrapper
	case "powershell", "pwsh":
		wrapper = powershellWrapper
	default:
		return nil, fmt.Errorf("unknown shell %q for --init: choose one of %s (or pwsh)", name, strings.Join(names, ", "))
	}
	completion, err := completions.Script(name)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(wrapper)+1+len(completion))
	out = append(out, wrapper...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return append(out, completion...), nil
}

// AutoRefresh returns the prompt hook of `assume --init SHELL --auto-refresh`, to follow Init's
// script: before each prompt it renews the exported credentials of ASSUME_PROFILE when they are
// about to expire, and starts no process until then.
func AutoRefresh(name string) ([]byte, error) {
	switch name {
	case "bash", "zsh":
		return append([]byte(nil), posixAutoRefresh...), nil
	case "fish":
		return append([]byte(nil), fishAutoRefresh...), nil
	case "powershell", "pwsh":
		return append([]byte(nil), powershellAutoRefresh...), nil
	}
	return nil, fmt.Errorf("unknown shell %q for --init: choose one of %s (or pwsh)", name, strings.Join(names, ", "))
}
