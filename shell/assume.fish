# Shell integration of assume for fish. Add to ~/.config/fish/config.fish:
#   assume --init fish | source
# `assume PROFILE` then exports the credentials into the current shell: the binary prints
# statements, this function evaluates them, but only when the binary succeeded.
function assume --description 'Export AWS credentials for a profile into this shell'
    # Locals only: nothing but the exported credentials may reach the user's shell.
    set -l __assume_arg
    # A shell started before `go install` put assume on PATH, or a config that ran it by its
    # full path, leaves this function without its program: say so instead of "unknown command".
    # `command -q` is a builtin that skips this function: no process is started.
    if not command -q assume
        printf '%s\n' "assume: the assume program is not on PATH in this shell: add its folder (for go install, \$(go env GOPATH)/bin) to PATH in config.fish before the line that loads assume, then open a new shell." >&2
        return 127
    end
    # Pass-through: text meant for the user (help, version, lists, set-up), an explicit
    # --format, or `assume PROFILE -- COMMAND` where the binary runs the command itself
    # on the terminal. The binary's output is left untouched and its exit code kept.
    for __assume_arg in $argv
        switch $__assume_arg
            case -- -- -h --help --version -l --list --list-profiles --init '--init=*' \
                    --setup --clear-cache --format '--format=*' -c --console --console-url \
                    --to-keyring --to-file
                command assume $argv
                return $status
        end
    end
    # Only stdout is captured (one list item a line): prompts and errors still reach the
    # terminal and stderr. `set` keeps the status of the command substitution.
    set -l __assume_out (command assume --format fish $argv)
    or return $status
    if set -q __assume_out[1]
        # The binary succeeded: that, not the last statement, is the result.
        string join \n -- $__assume_out | source
    end
    return 0
end
