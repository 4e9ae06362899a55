# shellcheck shell=bash
# Shell integration of assume for bash and zsh. Add to ~/.bashrc or ~/.zshrc:
#   eval "$(assume --init bash)"    (or: eval "$(assume --init zsh)")
# `assume PROFILE` then exports the credentials into the current shell: the binary prints
# statements, this function evaluates them, but only when the binary succeeded.

# The `function` keyword keeps an alias named assume from being expanded into the definition.
function assume {
	# Locals only: nothing but the exported credentials may reach the user's shell.
	local __assume_format __assume_arg __assume_out
	if [ -n "${ZSH_VERSION-}" ]; then
		__assume_format=zsh
	else
		__assume_format=bash
	fi
	# A shell started before `go install` put assume on PATH, or an rc file that ran it by its
	# full path, leaves this function without its program: say so instead of "not found".
	# type -P / whence -p are builtins that skip this function: no process is started.
	if ! { if [ -n "${ZSH_VERSION-}" ]; then whence -p assume; else type -P assume; fi; } >/dev/null 2>&1; then
		printf '%s\n' "assume: the assume program is not on PATH in this shell: add its folder (for go install, \$(go env GOPATH)/bin) to PATH in your rc file before the line that loads assume, then open a new shell." >&2
		return 127
	fi
	# Pass-through: text meant for the user (help, version, lists, set-up), an explicit
	# --format, the console sign-in (nothing to evaluate; --console-url prints a URL to
	# read), or `assume PROFILE -- COMMAND` where the binary runs the command itself
	# on the terminal. The binary's output is left untouched and its exit code kept.
	for __assume_arg in "$@"; do
		case $__assume_arg in
		-- | -h | --help | --version | -l | --list | --list-profiles | --init | --init=* | \
			--setup | --clear-cache | --format | --format=* | -c | --console | --console-url | \
			--to-keyring | --to-file)
			command assume "$@" || return
			return 0
			;;
		esac
	done
	# Only stdout is captured: prompts and errors still reach the terminal and stderr.
	__assume_out=$(command assume --format "$__assume_format" "$@") || return
	eval "$__assume_out"
}
