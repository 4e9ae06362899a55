#!/usr/bin/env bash
# Installs what the test suite needs, and only what is missing: safe to run again and again.
# Everything it says goes to stderr, so callers may use its stdout freely.
#
# Debian packages: zsh fish oathtool tmux shellcheck hyperfine (shells and terminal tests);
# busybox ksh mksh (POSIX shells that evaluate the sh format); chromium (the console sign-in's
# browser); gnome-keyring dbus libsecret-tools pass (the keyring backends' tests).
# Preinstalled on the project's machines: python3, moto_server (Python moto with its server extra), aws (CLI).
# Go tools: staticcheck, into the project-local .cache/bin (git-ignored).
set -euo pipefail

# Pinned: staticcheck 2026.2.2 is the release that understands Go 1.26.
readonly STATICCHECK_VERSION=v0.8.2

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo_root
readonly gobin="$repo_root/.cache/bin"

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

if ((failed)); then
	say "some dependencies are missing (see above)"
	exit 1
fi
say "all dependencies present"
