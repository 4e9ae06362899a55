#!/usr/bin/env bash
# Try assume without an AWS account.
#
# Starts a local AWS emulator (moto_server) on 127.0.0.1, creates an IAM user with access keys
# and a virtual MFA device, and a role the user may assume; writes a throwaway AWS config in a
# temporary folder (your ~/.aws is never read or touched), then runs assume against it, printing
# each command before running it: first the statements assume prints, then the everyday path in
# your own kind of shell (bash, zsh or fish, from $SHELL): the wrapper from --init, so that
# `assume demo-role` exports by itself, tab completion and, on a terminal, the picker.
# Everything is removed on exit.
#
#   ./scripts/try.sh            walk through the demo
#   ./scripts/try.sh --shell    then open your kind of shell in the sandbox, wrapper loaded
#                               (exit it to clean up)
#
# Needs: go (or ASSUME_BIN=/path/to/assume, with its assume-full beside it), moto_server, aws, oathtool, python3 (install them
# with scripts/install-deps.sh). Runs without a terminal too (the picker is then skipped).
set -euo pipefail

open_shell=false
for arg in "$@"; do
	case $arg in
	--shell) open_shell=true ;;
	-h | --help)
		sed -n '2,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
		exit 0
		;;
	*)
		printf 'try.sh: unknown argument %s (see --help)\n' "$arg" >&2
		exit 2
		;;
	esac
done

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo_root

if [[ -t 1 ]]; then
	bold=$'\e[1m' dim=$'\e[2m' reset=$'\e[0m'
else
	bold='' dim='' reset=''
fi

note() { printf '%s# %s%s\n' "$dim" "$*" "$reset"; }
die() {
	printf 'try.sh: %s\n' "$*" >&2
	exit 1
}

# explain introduces the next step, after a blank line.
explain() {
	printf '\n'
	note "$@"
}

# step prints a command as a user would type it, then runs it in this shell.
step() {
	printf '%s$ %s%s\n' "$bold" "$1" "$reset"
	local rc=0
	eval "$1" || rc=$?
	if ((rc != 0)); then
		die "that command failed (exit $rc)"
	fi
}

for tool in moto_server aws oathtool python3; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed: run scripts/install-deps.sh first"
done
if [[ -z ${ASSUME_BIN:-} ]]; then
	command -v go >/dev/null 2>&1 || die "go is not installed (or set ASSUME_BIN to a built assume binary)"
fi

# The kind of shell the demo speaks: the user's own ($SHELL), when assume has a wrapper for it.
user_shell=bash
case ${SHELL##*/} in
zsh | fish) user_shell=${SHELL##*/} ;;
esac
command -v "$user_shell" >/dev/null 2>&1 || user_shell=bash
readonly user_shell
on_terminal=false
if [[ -t 0 && -t 1 ]]; then
	on_terminal=true
fi
readonly on_terminal

work=$(mktemp -d "${TMPDIR:-/tmp}/assume-try.XXXXXX")
moto_pid=""
cleanup() {
	if [[ -n $moto_pid ]]; then
		kill "$moto_pid" 2>/dev/null || true
		wait "$moto_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
note "sandbox: $work"

# --- the binary -----------------------------------------------------------------------------
mkdir -p "$work/bin"
if [[ -n ${ASSUME_BIN:-} ]]; then
	given_dir=$(cd "$(dirname "$ASSUME_BIN")" && pwd)
	ln -s "$given_dir/$(basename "$ASSUME_BIN")" "$work/bin/assume"
	# assume hands the runs it does not answer to the assume-full installed beside it.
	if [[ -e $given_dir/assume-full ]]; then
		ln -s "$given_dir/assume-full" "$work/bin/assume-full"
	fi
else
	note "building assume and assume-full"
	(cd "$repo_root" && go build -o "$work/bin/" ./cmd/assume ./cmd/assume-full) ||
		die "go build ./cmd/assume ./cmd/assume-full failed"
fi
export PATH="$work/bin:$PATH"

# --- the emulator ---------------------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint="http://127.0.0.1:$port"
(cd "$work" && exec moto_server -H 127.0.0.1 -p "$port") >"$work/moto.log" 2>&1 &
moto_pid=$!
note "moto_server pid $moto_pid on $endpoint"
for ((i = 0; i < 300; i++)); do
	if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$endpoint/moto-api/data.json" 2>/dev/null; then
		break
	fi
	kill -0 "$moto_pid" 2>/dev/null || die "moto_server stopped: $(tail -n 5 "$work/moto.log")"
	sleep 0.2
done
((i < 300)) || die "moto_server did not answer on $endpoint within 60 s"

# From here on, nothing of the user's own AWS set-up is used.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
	AWS_SECURITY_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_REGION AWS_DEFAULT_REGION AWS_ENDPOINT_URL_STS \
	AWS_ENDPOINT_URL_IAM AWS_CA_BUNDLE ASSUME_PROFILE ASSUME_MFA_TOKEN
export HOME="$work/home" XDG_CACHE_HOME="$work/home/.cache" XDG_CONFIG_HOME="$work/home/.config" \
	XDG_DATA_HOME="$work/home/.local/share"
export AWS_CONFIG_FILE="$work/aws/config" AWS_SHARED_CREDENTIALS_FILE="$work/aws/credentials"
export AWS_ENDPOINT_URL="$endpoint" AWS_EC2_METADATA_DISABLED=true
# fish fills generated_completions from the man pages in the background unless it exists; that
# job would still be writing while the sandbox is removed.
mkdir -p "$HOME" "$work/aws" "$XDG_DATA_HOME/fish/generated_completions"
chmod 700 "$work/aws"

# admin runs the set-up calls; the emulator accepts any key for them.
admin() {
	AWS_ACCESS_KEY_ID=AKIATRYADMIN AWS_SECRET_ACCESS_KEY=try-admin AWS_DEFAULT_REGION=us-east-1 aws "$@"
}

note "creating IAM user demo-user with access keys and a virtual MFA device, and role demo-role"
admin iam create-user --user-name demo-user >/dev/null
read -r key_id secret_key < <(admin iam create-access-key --user-name demo-user \
	--query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
mfa_serial=$(admin iam create-virtual-mfa-device --virtual-mfa-device-name demo-user \
	--outfile "$work/mfa-seed" --bootstrap-method Base32StringSeed \
	--query VirtualMFADevice.SerialNumber --output text)
seed=$(<"$work/mfa-seed")
now=$(date +%s)
# Enabling a device takes two consecutive codes, as in the console.
admin iam enable-mfa-device --user-name demo-user --serial-number "$mfa_serial" \
	--authentication-code1 "$(oathtool --totp -b "$seed" -N "@$((now - 30))")" \
	--authentication-code2 "$(oathtool --totp -b "$seed" -N "@$now")"
user_arn=$(admin iam get-user --user-name demo-user --query User.Arn --output text)
trust=$(printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}' "$user_arn")
role_arn=$(admin iam create-role --role-name demo-role --assume-role-policy-document "$trust" \
	--max-session-duration 43200 --query Role.Arn --output text)

cat >"$AWS_CONFIG_FILE" <<CONFIG
[profile demo-user]
region = eu-west-1
mfa_serial = $mfa_serial

[profile demo-role]
role_arn = $role_arn
source_profile = demo-user
mfa_serial = $mfa_serial
region = eu-west-1
CONFIG
cat >"$AWS_SHARED_CREDENTIALS_FILE" <<CREDENTIALS
[demo-user]
aws_access_key_id = $key_id
aws_secret_access_key = $secret_key
CREDENTIALS
chmod 600 "$AWS_CONFIG_FILE" "$AWS_SHARED_CREDENTIALS_FILE"
unset secret_key

printf '\n%sThe throwaway AWS config (AWS_CONFIG_FILE=%s):%s\n' "$bold" "$AWS_CONFIG_FILE" "$reset"
cat "$AWS_CONFIG_FILE"

# --- the walk-through -----------------------------------------------------------------------

# The start-up file of the user's kind of shell, and the line that loads assume there, both
# shown literally (a ~ and a $ here are text for the user to copy).
# shellcheck disable=SC2088,SC2016
case $user_shell in
zsh)
	rc_file='~/.zshrc'
	rc_line='eval "$(assume --init zsh)"'
	;;
fish)
	rc_file='~/.config/fish/config.fish'
	rc_line='assume --init fish | source'
	;;
*)
	rc_file='~/.bashrc'
	rc_line='eval "$(assume --init bash)"'
	;;
esac

# in_shell runs commands in a fresh shell of the user's kind that has read its start-up file
# (in the sandbox HOME), printing each one as typed first; it stops at the first failure.
in_shell() {
	local script="" cmd
	for cmd in "$@"; do
		# Each command is shown, then run; the shells here all read printf and ';' alike.
		script+="printf '%s\\n' '$bold\$ ${cmd//\'/\'\\\'\'}$reset'; $cmd"
		case $user_shell in
		fish) script+=$'\nor exit $status\n' ;;
		*) script+=$' || exit $?\n' ;;
		esac
	done
	local rc=0
	case $user_shell in
	bash) bash --noprofile --rcfile "$HOME/.bashrc" -c "source ~/.bashrc; $script" || rc=$? ;;
	zsh) ZDOTDIR=$HOME zsh -c "source ~/.zshrc; $script" || rc=$? ;;
	fish) fish -c "$script" || rc=$? ;;
	esac
	((rc == 0)) || die "that command failed (exit $rc)"
}

code=$(oathtool --totp -b "$seed")
explain "the MFA app would now show $code (computed here with: oathtool --totp -b SEED)"
note "assume prints the statements that export a session (GetSessionToken with the MFA code);"
note "on a terminal it prints them only when a format is asked for, since they hold secrets"
note "(these are the emulator's throwaway keys):"
step "assume demo-user -m $code --format $user_shell"

explain "the everyday path: one line in $rc_file loads the wrapper function and tab completion,"
note "so that 'assume PROFILE' exports into the shell by itself. This sandbox's $rc_file has it:"
mkdir -p "$HOME/.config/fish"
# Each shell's start-up file gets its own line, as in a real HOME.
# shellcheck disable=SC2016 # written literally, for the shells to evaluate
printf '%s\n' 'eval "$(assume --init bash)"' >"$HOME/.bashrc"
# shellcheck disable=SC2016

printf '%s\n' 'eval "$(assume --init zsh)"' >"$HOME/.zshrc"
printf '%s\n' 'assume --init fish | source' >"$HOME/.config/fish/config.fish"
note "  $rc_line"
note "a role whose source is demo-user reuses the cached MFA session: no code asked"
in_shell "assume demo-role" "aws sts get-caller-identity --query Arn --output text"

explain "tab completion: 'assume <Tab>' offers the profiles, read straight from the two files:"
step "assume --list-profiles"

if [[ $on_terminal == true ]]; then
	explain "the picker: 'assume' alone lists the profiles; type to filter, Enter to choose, Ctrl-C to cancel"
	in_shell "assume" "printf 'picked %s\\n' \"\$ASSUME_PROFILE\""
else
	explain "the picker ('assume' alone) needs a terminal; skipped"
fi

explain "or run one command with the role's credentials, without exporting them:"
step "assume demo-role -- aws sts get-caller-identity"

explain "every profile, with its kind and the cached session's time left:"
step "assume -l"

explain "in your own shell, add this line to $rc_file, then open a new terminal:"
note "  $rc_line"

if [[ $open_shell == true ]]; then
	if [[ $on_terminal == true ]]; then
		explain "opening $user_shell in the sandbox with assume loaded: try 'assume <Tab>', 'assume demo-role',"
		note "'aws sts get-caller-identity', 'assume' alone; type exit to clean up"
		case $user_shell in
		bash) bash --noprofile --rcfile "$HOME/.bashrc" -i || true ;;
		zsh) ZDOTDIR=$HOME zsh -i || true ;;
		fish) fish -i || true ;;
		esac
	else
		note "--shell needs a terminal; skipped"
	fi
fi
explain "done; cleaning up"
