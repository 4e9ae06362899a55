#!/usr/bin/env bash
# The one command that runs every check and test of the project: ./scripts/test.sh
#
# It installs missing tools (scripts/install-deps.sh), then runs, stopping at the first failure:
#   gofmt, go vet, staticcheck, shellcheck, cross-builds for darwin/windows, go test -race (unit and e2e).
# With CI=true every tool must be there: a missing one fails the run. Locally a missing tool
# skips its step with a warning, and the end-to-end tests skip what they cannot run.
# Progress and headers go to stderr; it never reads stdin.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo_root
cd "$repo_root"
exec </dev/null

ci=false
if [[ ${CI:-} == true || ${CI:-} == 1 ]]; then
	ci=true
fi
readonly ci

started=$SECONDS
section_started=$SECONDS
current_section=""

section() {
	if [[ -n $current_section ]]; then
		printf '    (%s: %ds)\n' "$current_section" $((SECONDS - section_started)) >&2
	fi
	current_section=$1
	section_started=$SECONDS
	printf '\n==> %s\n' "$1" >&2
}

fail() {
	printf '\nFAILED in "%s": %s\n' "$current_section" "$*" >&2
	exit 1
}

# Whether a tool can be used; in CI a missing tool fails the run, locally it skips the step.
have() {
	if command -v "$1" >/dev/null 2>&1; then
		return 0
	fi
	if [[ $ci == true ]]; then
		fail "$1 is not installed (CI requires every tool)"
	fi
	printf 'WARNING: %s is not installed: skipping this step (CI would fail)\n' "$1" >&2
	return 1
}

section "dependencies (scripts/install-deps.sh)"
if ! "$repo_root/scripts/install-deps.sh"; then
	if [[ $ci == true ]]; then
		fail "dependencies are missing"
	fi
	printf 'WARNING: some dependencies are missing; the steps that need them are skipped\n' >&2
fi
export PATH="$repo_root/.cache/bin:$PATH"

section "gofmt -l"
unformatted=$(gofmt -l .)
if [[ -n $unformatted ]]; then
	printf '%s\n' "$unformatted" >&2
	fail "these files need gofmt -w"
fi

section "go vet ./..."
go vet ./... || fail "go vet reported problems"

section "staticcheck ./..."
if have staticcheck; then
	staticcheck ./... || fail "staticcheck reported problems"
fi

section "shellcheck"
shopt -s nullglob
shell_files=(scripts/*.sh .ci/run shell/*.sh completions/*.bash)
shopt -u nullglob
if have shellcheck; then
	printf '%s\n' "${shell_files[@]}" >&2
	shellcheck "${shell_files[@]}" || fail "shellcheck reported problems"
fi

section "cross-build for darwin and windows"
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT
for goos in darwin windows; do
	for goarch in amd64 arm64; do
		printf '%s/%s\n' "$goos" "$goarch" >&2
		mkdir -p "$build_dir/$goos-$goarch"
		CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -o "$build_dir/$goos-$goarch/" ./... ||
			fail "go build failed for $goos/$goarch"
	done
done

section "go test -race -count=1 ./..."
go test -race -count=1 -timeout 30m ./... || fail "tests failed"

section "done"
printf 'all checks passed in %ds\n' $((SECONDS - started)) >&2
