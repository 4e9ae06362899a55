package shell_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assume-cli/assume/shell"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestAutoRefreshGolden: the prompt hook of each shell, as --init SHELL --auto-refresh appends
// it, is the reviewed one in testdata (go test ./shell -run Golden -update rewrites them). For
// PowerShell, which cannot run here, this and the structure checks below are the test.
func TestAutoRefreshGolden(t *testing.T) {
	for _, name := range []string{"bash", "zsh", "fish", "powershell", "pwsh"} {
		hook, err := shell.AutoRefresh(name)
		if err != nil {
			t.Fatal(err)
		}
		golden := map[string]string{"bash": "autorefresh.sh", "zsh": "autorefresh.sh", "fish": "autorefresh.fish",
			"powershell": "autorefresh.ps1", "pwsh": "autorefresh.ps1"}[name]
		path := filepath.Join("testdata", golden+".golden")
		if *updateGolden {
			if err := os.WriteFile(path, hook, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(hook, want) {
			t.Errorf("%s: the hook differs from %s; review the change and rerun with -update", name, path)
		}
	}
	if _, err := shell.AutoRefresh("tcsh"); err == nil {
		t.Error("AutoRefresh accepted an unknown shell")
	}
}

// TestPowerShellAutoRefresh checks the PowerShell hook's structure: it reads the expiry and the
// margin in PowerShell itself and returns before anything external runs while the margin is not
// reached; renewal never prompts, a failure is remembered for that expiry, and the wrapped prompt
// keeps the user's $LASTEXITCODE.
func TestPowerShellAutoRefresh(t *testing.T) {
	hook, err := shell.AutoRefresh("powershell")
	if err != nil {
		t.Fatal(err)
	}
	src := string(hook)
	checkPowerShellBalanced(t, "AutoRefresh(powershell)", src)
	mustContainInOrder(t, src,
		"function global:__AssumeRefresh {",
		"$profileName = $env:ASSUME_PROFILE",
		"$expiration = $env:AWS_CREDENTIAL_EXPIRATION",
		"$expiration -ceq $global:__AssumeRefreshFailed",
		"return",
		"[DateTimeOffset]::TryParseExact($expiration, \"yyyy-MM-dd'T'HH:mm:ss'Z'\"",
		"return",
		"$env:ASSUME_REFRESH_MARGIN -match '^(\\d+)([smh]?)$'",
		"(($expires - [DateTimeOffset]::UtcNow).TotalSeconds -gt $margin)",
		"return",
		"Get-Command -Name assume -CommandType Application",
		"@('--format', 'powershell', '--refresh', '--non-interactive')",
		"$renewArgs += @('-r', $env:AWS_REGION)",
		"$assumeOut = & $assumeApp @renewArgs",
		"if ($LASTEXITCODE -ne 0) {",
		"$global:__AssumeRefreshFailed = $expiration",
		"Invoke-Expression -Command ($assumeOut | Out-String)",
		"if (-not $global:__AssumeRefreshPrompt) {",
		"$global:__AssumeRefreshPrompt = $function:prompt",
		"function global:prompt {",
		"$lastExit = $global:LASTEXITCODE",
		"__AssumeRefresh",
		"$global:LASTEXITCODE = $lastExit",
		"& $global:__AssumeRefreshPrompt",
	)
	// Nothing external before the margin is reached: no call operator, no command lookup.
	beforeMargin := src[:strings.Index(src, "-gt $margin")]
	for _, external := range []string{"& ", "Get-Command", "Start-Process", "date", "Get-Date"} {
		if strings.Contains(beforeMargin[strings.Index(beforeMargin, "function global:__AssumeRefresh"):], external) {
			t.Errorf("the hook uses %q before comparing the expiry with the margin", external)
		}
	}
	if strings.Contains(src, "2>&1") || strings.Contains(src, "Read-Host") {
		t.Error("the hook merges stderr into what it evaluates, or asks for input")
	}
}
