# --- assume --init fish --auto-refresh: credentials that never go stale -----------------------
# Before each prompt, renews the credentials of $ASSUME_PROFILE from the cached MFA session when
# they have less than $ASSUME_REFRESH_MARGIN left (seconds, or a number with s, m or h; default
# 15m). Until then it starts no process: the expiry is compared in the shell itself. When renewal
# needs an MFA code it asks nothing: the binary says once which command to run, and the hook
# leaves those credentials alone from then on.

# The AWS_CREDENTIAL_EXPIRATION last converted, its epoch seconds, and the expiry whose renewal
# failed (not tried again).
set -g __assume_refresh_seen
set -g __assume_refresh_at 0
set -g __assume_refresh_failed

# The time in epoch seconds. fish has no clock variable, but `path mtime` (fish 3.5) gives a
# file's modification time and, with --relative, the seconds since then: their sum is now, and
# both are builtins. Older fish asks `date`.
function __assume_refresh_now
    if builtin -n | string match -q path
        set -l m (path mtime -- $__fish_data_dir)
        set -l r (path mtime --relative -- $__fish_data_dir)
        math $m + $r
    else
        date +%s
    end
end

# The epoch seconds of an expiry as assume writes it (2026-01-02T03:04:05Z); any other form fails.
function __assume_refresh_epoch
    set -l p (string match -r '^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$' -- $argv[1])
    or return 1
    # math reads 08 as eight.
    set -l y (math $p[2])
    set -l mo (math $p[3])
    set -l d (math $p[4])
    # Days from the civil date, with March as the first month.
    if test $mo -le 2
        set y (math $y - 1)
    end
    set -l era (math "floor($y / 400)")
    set -l yoe (math $y - $era \* 400)
    set -l doy (math "floor((153 * (($mo + 9) % 12) + 2) / 5) + $d - 1")
    set -l days (math "$era * 146097 + $yoe * 365 + floor($yoe / 4) - floor($yoe / 100) + $doy - 719468")
    math "$days * 86400 + $p[5] * 3600 + $p[6] * 60 + $p[7]"
end

function __assume_refresh --on-event fish_prompt
    set -q ASSUME_PROFILE[1]; and set -q AWS_CREDENTIAL_EXPIRATION[1]; or return 0
    test -n "$ASSUME_PROFILE" -a -n "$AWS_CREDENTIAL_EXPIRATION"; or return 0
    test "$AWS_CREDENTIAL_EXPIRATION" != "$__assume_refresh_failed"; or return 0
    if test "$AWS_CREDENTIAL_EXPIRATION" != "$__assume_refresh_seen"
        set -l at (__assume_refresh_epoch $AWS_CREDENTIAL_EXPIRATION)
        or return 0
        set -g __assume_refresh_at $at
        set -g __assume_refresh_seen $AWS_CREDENTIAL_EXPIRATION
    end
    set -l margin 15m
    if set -q ASSUME_REFRESH_MARGIN[1]; and test -n "$ASSUME_REFRESH_MARGIN"
        set margin $ASSUME_REFRESH_MARGIN
    end
    set -l parts (string match -r '^(\d+)([smh]?)$' -- $margin)
    or set parts 15m 15 m
    set -l unit 1
    switch $parts[3]
        case m
            set unit 60
        case h
            set unit 3600
    end
    set -l now (__assume_refresh_now)
    if test (math $__assume_refresh_at - $now) -gt (math $parts[2] \* $unit)
        return 0
    end
    # Renew: the profile's own settings, the region this shell has, never a prompt.
    set -l region
    if set -q AWS_REGION[1]; and test -n "$AWS_REGION"
        set region -r $AWS_REGION
    end
    set -l out (command assume --format fish --refresh --non-interactive $region $ASSUME_PROFILE)
    or begin
        set -g __assume_refresh_failed $AWS_CREDENTIAL_EXPIRATION
        return 0
    end
    string join \n -- $out | source
end
# --- end of --auto-refresh -------------------------------------------------------------------
