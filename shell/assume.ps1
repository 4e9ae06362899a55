# Shell integration of assume for PowerShell. Add to $PROFILE:
#   assume --init powershell | Out-String | Invoke-Expression
# `assume PROFILE` then sets the credentials in this session: the binary prints statements,
# this function evaluates them, but only when the binary succeeded. Its exit code is left in
# $LASTEXITCODE.
function assume {
    # This function shadows the binary: call the application itself.
    $assumeApp = Get-Command -Name assume -CommandType Application -ErrorAction Stop |
        Select-Object -First 1
    # Pass-through: text meant for the user (help, version, lists, set-up), an explicit
    # --format, or `assume PROFILE -- COMMAND` where the binary runs the command itself on
    # the terminal. The binary's output is left untouched.
    $passThrough = @('--', '-h', '--help', '--version', '-l', '--list', '--list-profiles',
        '--init', '--setup', '--clear-cache', '--format')
    foreach ($arg in $args) {
        $text = [string]$arg
        if ($passThrough -ccontains $text -or $text.StartsWith('--format=') -or
            $text.StartsWith('--init=')) {
            & $assumeApp @args
            return
        }
    }
    # Only stdout is captured: prompts and errors still reach the terminal.
    $assumeOut = & $assumeApp --format powershell @args
    if ($LASTEXITCODE -ne 0) {
        return
    }
    if ($assumeOut) {
        Invoke-Expression -Command (($assumeOut | Out-String))
    }
}
