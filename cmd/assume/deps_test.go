package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// heavy are the packages the assume front must not link, as prefixes of import paths. Go runs
// the init of every linked package on every start, used or not, and the front answers the
// runs a shell makes most (every <TAB>, every prompt's export): the AWS SDK, the flag parser,
// the prompt library, the keyring and the browser opener, and net/http, which each cost more
// to start than the whole front. The program's own packages that link them are named too, so a
// failure says which import brought them in.
var heavy = []string{
	"github.com/aws/",
	"github.com/alecthomas/kong",
	"github.com/AlecAivazis/survey",
	"github.com/zalando/go-keyring",
	"github.com/godbus/",
	"github.com/danieljoos/wincred",
	"github.com/cli/browser",
	"net/http",
	"github.com/assume-cli/assume/internal/cli",
	"github.com/assume-cli/assume/internal/provider",
	"github.com/assume-cli/assume/internal/setup",
	"github.com/assume-cli/assume/internal/console",
	"github.com/assume-cli/assume/internal/credserver",
}

func TestFrontLinksNoHeavyPackage(t *testing.T) {
	t.Parallel()
	for _, goos := range []string{"linux", "darwin"} {
		t.Run(goos, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command("go", "list", "-deps", ".")
			cmd.Env = append(os.Environ(), "GOOS="+goos, "GOFLAGS=")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go list -deps: %v", err)
			}
			deps := strings.Fields(string(out))
			if len(deps) < 10 || !slices.Contains(deps, "github.com/assume-cli/assume/internal/fastpath") {
				t.Fatalf("go list -deps listed too little to judge:\n%s", out)
			}
			for _, dep := range deps {
				for _, h := range heavy {
					if dep == h || strings.HasPrefix(dep, strings.TrimSuffix(h, "/")+"/") {
						t.Errorf("the assume front links %s (see go list -deps ./cmd/assume); only assume-full may", dep)
					}
				}
			}
		})
	}
}
