# --- assume --init powershell --auto-refresh: credentials that never go stale -----------------
# Before each prompt, renews the credentials of $env:ASSUME_PROFILE from the cached MFA session
# when they have less than $env:ASSUME_REFRESH_MARGIN left (seconds, or a number with s, m or h;
# default 15m). Until then it starts no process: the expiry is compared in PowerShell itself.
# When renewal needs an MFA code it asks nothing: the binary says once which command to run, and
# the hook leaves those credentials alone from then on.

# The expiry whose renewal failed: not tried again.
$global:__AssumeRefreshFailed = ''

function global:__AssumeRefresh {
    $profileName = $env:ASSUME_PROFILE
    $expiration = $env:AWS_CREDENTIAL_EXPIRATION
    if (-not $profileName -or -not $expiration -or $expiration -ceq $global:__AssumeRefreshFailed) {
        return
    }
    $expires = [DateTimeOffset]::MinValue
    if (-not [DateTimeOffset]::TryParseExact($expiration, "yyyy-MM-dd'T'HH:mm:ss'Z'",
            [Globalization.CultureInfo]::InvariantCulture,
            [Globalization.DateTimeStyles]::AssumeUniversal, [ref]$expires)) {
        return
    }
    $margin = 900
    if ($env:ASSUME_REFRESH_MARGIN -match '^(\d+)([smh]?)$') {
        $unit = @{ '' = 1; 's' = 1; 'm' = 60; 'h' = 3600 }[$Matches[2]]
        $margin = [long]$Matches[1] * $unit
    }
    if (($expires - [DateTimeOffset]::UtcNow).TotalSeconds -gt $margin) {
        return
    }
    # Renew: the profile's own settings, the region this session has, never a prompt.
    $assumeApp = Get-Command -Name assume -CommandType Application -ErrorAction SilentlyContinue |
        Select-Object -First 1
    if (-not $assumeApp) {
        return
    }
    $renewArgs = @('--format', 'powershell', '--refresh', '--non-interactive')
    if ($env:AWS_REGION) {
        $renewArgs += @('-r', $env:AWS_REGION)
    }
    $renewArgs += $profileName
    $assumeOut = & $assumeApp @renewArgs
    if ($LASTEXITCODE -ne 0) {
        $global:__AssumeRefreshFailed = $expiration
        return
    }
    if ($assumeOut) {
        Invoke-Expression -Command ($assumeOut | Out-String)
    }
}

# Wrap the current prompt once; the user's last exit code is kept for it.
if (-not $global:__AssumeRefreshPrompt) {
    $global:__AssumeRefreshPrompt = $function:prompt
    function global:prompt {
        $lastExit = $global:LASTEXITCODE
        __AssumeRefresh
        $global:LASTEXITCODE = $lastExit
        & $global:__AssumeRefreshPrompt
    }
}
# --- end of --auto-refresh -------------------------------------------------------------------
