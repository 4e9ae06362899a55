#!/usr/bin/env bash
# Installs what the test suite needs, and only what is missing: safe to run again and again.
# Everything it says goes to stderr, so callers may use its stdout freely.
#
# Debian packages: zsh fish oathtool tmux shellcheck hyperfine (shells and terminal tests);
# busybox ksh mksh (POSIX shells that evaluate the sh format); chromium (the console sign-in's
# browser); gnome-keyring dbus libsecret-tools pass (the keyring backends' tests).
# Preinstalled on the project's machines: python3, moto_server (Python moto with its server extra), aws (CLI).
# Go tools: staticcheck, into the project-local .cache/bin (git-ignored).
# npm packages: the tree-sitter PowerShell grammar (WebAssembly) and web-tree-sitter, an independent
# PowerShell parser for the tests, into the project-local .cache/node (git-ignored); needs node and npm.
set -euo pipefail

# Pinned: staticcheck 2026.2.2 is the release that understands Go 1.26.
readonly STATICCHECK_VERSION=v0.8.2
# Pinned: the grammar's .wasm is built for this web-tree-sitter line.
readonly TREE_SITTER_POWERSHELL_VERSION=0.26.4
readonly WEB_TREE_SITTER_VERSION=0.25.10

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo_root
readonly gobin="$repo_root/.cache/bin"
readonly node_prefix="$repo_root/.cache/node"

say() { printf 'install-deps: %s\n' "$*" >&2; }

# Runs a command as root: directly when we are root, through sudo when it is there.
as_root() {
	if [[ $(id -u) -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n "$@"
	else
		say "need root to run: $* (no sudo available)"
		return 1
	fi
}

failed=0

# --- Debian packages -------------------------------------------------------
missing_packages=()
# Each entry is TOOL:PACKAGE (the command that must exist, and the Debian package that has it).
for entry in zsh:zsh fish:fish oathtool:oathtool tmux:tmux shellcheck:shellcheck hyperfine:hyperfine \
	busybox:busybox ksh:ksh mksh:mksh chromium:chromium \
	gnome-keyring-daemon:gnome-keyring dbus-run-session:dbus secret-tool:libsecret-tools pass:pass gpg:gnupg; do
	tool=${entry%%:*}
	if command -v "$tool" >/dev/null 2>&1; then
		say "$tool: present"
	else
		missing_packages+=("${entry#*:}")
	fi
done
if ((${#missing_packages[@]} > 0)); then
	say "installing Debian packages: ${missing_packages[*]}"
	if as_root apt-get update -qq >&2 &&
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_packages[@]}" >&2; then
		say "installed: ${missing_packages[*]}"
	else
		say "FAILED to install Debian packages: ${missing_packages[*]}"
		failed=1
	fi
fi

# --- Python tools (preinstalled) ----------------------------------------------
for tool in python3 aws; do
	if command -v "$tool" >/dev/null 2>&1; then
		say "$tool: present"
	else
		say "MISSING: $tool (expected preinstalled on this machine kind; the end-to-end tests need it)"
		failed=1
	fi
done
if command -v moto_server >/dev/null 2>&1; then
	say "moto_server: present"
else
	say "moto_server missing: trying pip install 'moto[server]'"
	if command -v python3 >/dev/null 2>&1 && python3 -m pip install --quiet 'moto[server]' >&2 && command -v moto_server >/dev/null 2>&1; then
		say "installed moto_server with pip"
	else
		say "FAILED to install moto_server: pip could not install 'moto[server]' (is the Python package index reachable?). The end-to-end tests need it."
		failed=1
	fi
fi

# --- Go tools ----------------------------------------------------------------
if [[ -x "$gobin/staticcheck" ]] && [[ $("$gobin/staticcheck" -version 2>/dev/null) == *"(${STATICCHECK_VERSION#v})"* ]]; then
	say "staticcheck $STATICCHECK_VERSION: present in $gobin"
else
	say "installing staticcheck $STATICCHECK_VERSION into $gobin"
	mkdir -p "$gobin"
	if (cd "$repo_root" && GOBIN="$gobin" go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION") >&2; then
		say "installed staticcheck $STATICCHECK_VERSION"
	else
		say "FAILED to install staticcheck $STATICCHECK_VERSION"
		failed=1
	fi
fi

# --- npm packages ---------------------------------------------------------------
# npm_version PACKAGE: the version installed in $node_prefix, or nothing.
npm_version() {
	local file="$node_prefix/node_modules/$1/package.json"
	[[ -f $file ]] && node -p 'require(process.argv[1]).version' "$file" 2>/dev/null
}
if [[ $(npm_version tree-sitter-powershell) == "$TREE_SITTER_POWERSHELL_VERSION" &&
	$(npm_version web-tree-sitter) == "$WEB_TREE_SITTER_VERSION" ]]; then
	say "PowerShell parser (tree-sitter-powershell $TREE_SITTER_POWERSHELL_VERSION): present in $node_prefix"
elif ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
	say "FAILED to install the PowerShell parser: node and npm are needed (Debian packages nodejs, npm)"
	failed=1
else
	say "installing the PowerShell parser into $node_prefix"
	mkdir -p "$node_prefix"
	# --ignore-scripts: only the WebAssembly build is used, so no native addon is compiled.
	if npm install --prefix "$node_prefix" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
		"tree-sitter-powershell@$TREE_SITTER_POWERSHELL_VERSION" "web-tree-sitter@$WEB_TREE_SITTER_VERSION" >&2; then
		say "installed tree-sitter-powershell $TREE_SITTER_POWERSHELL_VERSION and web-tree-sitter $WEB_TREE_SITTER_VERSION"
	else
		say "FAILED to install the PowerShell parser with npm"
		failed=1
	fi
fi

if ((failed)); then
	say "some dependencies are missing (see above)"
	exit 1
fi
say "all dependencies present"
