package shelltest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// There is no PowerShell on the machines the tests run on, so PowerShell text (the output
// format, the wrapper, the completion script) is read by an independent parser: the
// tree-sitter PowerShell grammar, built to WebAssembly and run by node with web-tree-sitter.
// scripts/install-deps.sh installs both into the project's git-ignored .cache/node.

// PSToken is a leaf of the parse tree: a literal (string, integer, type), a variable, or a
// piece of punctuation, with its text as written.
type PSToken struct{ Type, Text string }

// PSParse is what the parser made of one script.
type PSParse struct {
	// Errors are the places the parser could not read (row:column and the text there);
	// none for a script without a syntax error.
	Errors []string
	Tokens []PSToken
}

// psParser reads a JSON array of scripts on stdin and prints a JSON array of
// {errors, tokens}: the leaves of each parse tree, literals and variables taken whole.
const psParser = `'use strict';
const { Parser, Language } = require('web-tree-sitter');
const whole = new Set(['string_literal', 'expandable_string_literal', 'verbatim_here_string_characters',
  'expandable_here_string_literal', 'integer_literal', 'real_literal', 'type_literal', 'variable']);
(async () => {
  const input = require('fs').readFileSync(0, 'utf8');
  await Parser.init();
  const lang = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
  const parser = new Parser();
  parser.setLanguage(lang);
  const out = JSON.parse(input).map((src) => {
    const tree = parser.parse(src);
    const errors = [], tokens = [];
    (function walk(n) {
      if (n.type === 'ERROR' || n.isMissing) {
        errors.push((n.startPosition.row + 1) + ':' + (n.startPosition.column + 1) + ' ' +
          (n.isMissing ? 'missing ' + n.type : 'cannot read ' + JSON.stringify(n.text.slice(0, 40))));
        return;
      }
      if (n.childCount === 0 || whole.has(n.type)) {
        tokens.push({ Type: n.type, Text: n.text });
        return;
      }
      for (const c of n.children) walk(c);
    })(tree.rootNode);
    if (tree.rootNode.hasError && errors.length === 0) errors.push('the parser reports an error');
    return { Errors: errors, Tokens: tokens };
  });
  // web-tree-sitter keeps the event loop alive: write synchronously, then exit.
  require('fs').writeSync(1, JSON.stringify(out));
  process.exit(0);
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
`

// ParsePowerShell parses each script with the independent PowerShell parser. When the parser
// is not installed it fails the test in CI and skips it elsewhere, saying how to install it.
func ParsePowerShell(t testing.TB, scripts ...string) []PSParse {
	t.Helper()
	node := testkit.RequireTool(t, "node")
	root, err := testkit.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	modules := filepath.Join(root, ".cache", "node", "node_modules")
	for _, pkg := range []string{"web-tree-sitter", "tree-sitter-powershell"} {
		if _, err := os.Stat(filepath.Join(modules, pkg, "package.json")); err != nil {
			testkit.Missing(t, "the PowerShell parser is not installed ("+pkg+" in "+modules+"); run scripts/install-deps.sh")
		}
	}
	script := filepath.Join(t.TempDir(), "psparse.cjs")
	if err := os.WriteFile(script, []byte(psParser), 0o600); err != nil {
		t.Fatal(err)
	}
	in, err := json.Marshal(scripts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// --liftoff-only: V8 would otherwise recompile the grammar's WebAssembly in the background
	// with its optimising compiler, and node waits for that before it exits (half a minute on a
	// busy machine) for no gain on inputs this small.
	cmd := exec.CommandContext(ctx, node, "--liftoff-only", script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("the PowerShell parser failed: %v\n%s", err, stderr.String())
	}
	var out []PSParse
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil || len(out) != len(scripts) {
		t.Fatalf("the PowerShell parser's answer does not read: %v (%d results for %d scripts)", err, len(out), len(scripts))
	}
	return out
}
