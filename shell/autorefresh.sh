# shellcheck shell=bash
# --- assume --init bash|zsh --auto-refresh: credentials that never go stale -------------------
# Before each prompt, renews the credentials of $ASSUME_PROFILE from the cached MFA session when
# they have less than $ASSUME_REFRESH_MARGIN left (seconds, or a number with s, m or h; default
# 15m). Until then it starts no process: the expiry is compared in the shell itself. When renewal
# needs an MFA code it asks nothing: the binary says once which command to run, and the hook
# leaves those credentials alone from then on.

# The AWS_CREDENTIAL_EXPIRATION last converted, its epoch seconds, and the expiry whose renewal
# failed (not tried again).
__assume_refresh_seen=
__assume_refresh_at=0
__assume_refresh_failed=
# The time of day in epoch seconds without a process: zsh's EPOCHSECONDS, bash 4.2's
# printf %(%s)T, else (bash 3) SECONDS counted from one `date` at start-up.
__assume_refresh_base=
if [ -n "${ZSH_VERSION-}" ]; then
	zmodload -F zsh/datetime p:EPOCHSECONDS
elif ! printf -v __assume_refresh_base '%(%s)T' -1 2>/dev/null; then
	__assume_refresh_base=$(($(date +%s) - SECONDS))
else
	__assume_refresh_base=
fi

# __assume_refresh_epoch converts an expiry as assume writes it (2026-01-02T03:04:05Z) to epoch
# seconds in __assume_refresh_at; any other form fails.
function __assume_refresh_epoch {
	local e=$1 y mo d era yoe doy
	case $e in
	[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z) ;;
	*) return 1 ;;
	esac
	# 10#: 08 is a number, not bad octal. Days from the civil date, with March as the first month.
	y=$((10#${e:0:4})) mo=$((10#${e:5:2})) d=$((10#${e:8:2}))
	if [ "$mo" -le 2 ]; then y=$((y - 1)); fi
	era=$((y / 400))
	yoe=$((y - era * 400))
	doy=$(((153 * ((mo + 9) % 12) + 2) / 5 + d - 1))
	__assume_refresh_at=$(((era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468) * 86400 +
		10#${e:11:2} * 3600 + 10#${e:14:2} * 60 + 10#${e:17:2}))
}

function __assume_refresh {
	local margin unit=1 now out
	[ -n "${ASSUME_PROFILE-}" ] && [ -n "${AWS_CREDENTIAL_EXPIRATION-}" ] || return 0
	[ "$AWS_CREDENTIAL_EXPIRATION" != "$__assume_refresh_failed" ] || return 0
	if [ "$AWS_CREDENTIAL_EXPIRATION" != "$__assume_refresh_seen" ]; then
		__assume_refresh_epoch "$AWS_CREDENTIAL_EXPIRATION" || return 0
		__assume_refresh_seen=$AWS_CREDENTIAL_EXPIRATION
	fi
	margin=${ASSUME_REFRESH_MARGIN:-15m}
	case $margin in
	*s) margin=${margin%s} ;;
	*m) margin=${margin%m} unit=60 ;;
	*h) margin=${margin%h} unit=3600 ;;
	esac
	case $margin in
	'' | *[!0-9]*) margin=15 unit=60 ;;
	esac
	if [ -n "${ZSH_VERSION-}" ]; then
		now=$EPOCHSECONDS
	elif [ -z "$__assume_refresh_base" ]; then
		printf -v now '%(%s)T' -1
	else
		now=$((__assume_refresh_base + SECONDS))
	fi
	if [ $((__assume_refresh_at - now)) -gt $((10#$margin * unit)) ]; then
		return 0
	fi
	# Renew: the profile's own settings, the region this shell has, never a prompt.
	local format=bash
	if [ -n "${ZSH_VERSION-}" ]; then format=zsh; fi
	if [ -n "${AWS_REGION-}" ]; then
		out=$(command assume --format "$format" --refresh --non-interactive -r "$AWS_REGION" "$ASSUME_PROFILE")
	else
		out=$(command assume --format "$format" --refresh --non-interactive "$ASSUME_PROFILE")
	fi || {
		__assume_refresh_failed=$AWS_CREDENTIAL_EXPIRATION
		return 0
	}
	eval "$out"
}

# The hook keeps the status of the user's last command for the prompt and other hooks.
function __assume_refresh_hook {
	local __assume_status=$?
	__assume_refresh || :
	return "$__assume_status"
}

if [ -n "${ZSH_VERSION-}" ]; then
	autoload -Uz add-zsh-hook
	add-zsh-hook precmd __assume_refresh_hook
else
	case ${PROMPT_COMMAND-} in
	*__assume_refresh_hook*) ;;
	*) PROMPT_COMMAND="${PROMPT_COMMAND:+$PROMPT_COMMAND
}__assume_refresh_hook" ;;
	esac
fi
# --- end of --auto-refresh -------------------------------------------------------------------
