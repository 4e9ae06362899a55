# Shell integration of assume for PowerShell. Add to $PROFILE:
#   assume --init powershell | Out-String | Invoke-Expression
# `assume PROFILE` then sets the credentials in this session: the binary prints statements,
# this function evaluates them, but only when the binary succeeded. The binary's exit code is
# left in $LASTEXITCODE.
function assume {
    # This function shadows the binary: call the application itself.
    $assumeApp = Get-Command -Name assume -CommandType Application -ErrorAction SilentlyContinue |
        Select-Object -First 1
    if ($null -eq $assumeApp) {
        # A session started before assume was on PATH: one sentence instead of an error record.
        [Console]::Error.WriteLine('assume: the assume program is not on PATH in this session: add its folder to $env:PATH in $PROFILE before the line that loads assume, then open a new session.')
        $global:LASTEXITCODE = 127
        return
    }

    # Pass-through: text meant for the user (help, version, lists, set-up), an explicit
    # --format, or `assume PROFILE -- COMMAND` where the binary runs the command itself on
    # the terminal. The binary's output is left untouched.
    $passThroughFlags = '-h', '--help', '--version', '-l', '--list', '--list-profiles',
        '--init', '--setup', '--clear-cache', '--format', '-c', '--console', '--console-url',
        '--to-keyring', '--to-file'
    # Flags followed by a value of their own.
    $valueFlags = '-m', '--mfa-token', '--format', '--mfa-process', '-d', '--duration',
        '--session-duration', '-r', '--region', '--role-arn', '--external-id', '--session-name',
        '--init', '--write-profile', '--qr-file', '--access-key-id', '--mfa-serial',
        '--mfa-device-name', '--seed-file', '-s', '--service', '--keyring'

    $arguments = [System.Collections.Generic.List[string]]::new()
    $passThrough = $false
    $skipValue = $false
    $positionals = 0
    for ($i = 0; $i -lt $args.Count; $i++) {
        $word = [string]$args[$i]
        if ($skipValue) {
            $skipValue = $false
        } elseif ($word -ceq '--') {
            # A quoted '--' reaches the function as it is: the command follows.
            $passThrough = $true
            break
        } elseif ($passThroughFlags -ccontains $word -or $word.StartsWith('--format=') -or
            $word.StartsWith('--init=')) {
            $passThrough = $true
        } elseif ($valueFlags -ccontains $word) {
            $skipValue = $true
        } elseif (-not $word.StartsWith('-')) {
            $positionals++
            if ($positionals -eq 2 -and -not $passThrough) {
                # PowerShell removes a bare -- before a function sees its arguments, so
                # `assume PROFILE -- COMMAND` arrives as PROFILE COMMAND: put the -- back.
                $arguments.Add('--')
                $passThrough = $true
                break
            }
        }
        $arguments.Add($word)
    }
    for (; $i -lt $args.Count; $i++) {
        $arguments.Add([string]$args[$i])
    }
    # Splatting takes an array.
    $assumeArgs = $arguments.ToArray()

    if ($passThrough) {
        & $assumeApp @assumeArgs
        return
    }
    # Only stdout is captured: prompts and errors still reach the terminal.
    $assumeOut = & $assumeApp --format powershell @assumeArgs
    if ($LASTEXITCODE -ne 0) {
        return
    }
    if ($assumeOut) {
        Invoke-Expression -Command ($assumeOut | Out-String)
    }
}
