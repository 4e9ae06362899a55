#!/usr/bin/env bash
# Times whole runs of assume with hyperfine, as a ratio against a trivial Go binary built in the
# same run, on generated configs of 5 and 5,000 profiles:
#
#   assume --list-profiles            the tab-completion fast path
#   assume ROLE --format bash         a role whose credentials are cached (no STS call)
#   assume STATIC --format bash       long-term keys (no STS call)
#
# It prints each median, its ratio to the trivial binary, the CPU time per run and its ratio, and the peak memory (largest RSS of a few
# runs), next to the targets of docs/performance.md. Nothing outside a temporary folder is touched.
#
# Usage: scripts/bench.sh [--runs N] [--sizes "5 5000"] [--cgo] [--go] [--check] [--against REV]
#   --runs N    timed runs per command (default 200; a run takes milliseconds)
#   --sizes     profile counts to generate (default "5 5000")
#   --cgo       build assume as plain `go build` does where a C compiler is found (linked to
#               libc); by default it is built static with CGO_ENABLED=0, as cross-compiled
#               release builds are, which starts about 0.7 ms sooner
#   --go        also run the in-process `go test -bench` benchmarks of internal/cli (short)
#   --check     exit 1 when a median or the memory misses its target
#   --against REV  also build assume at git revision REV and time it in the same runs, each of its
#               commands next to this tree's: before and after a change, on a machine whose load
#               moves (the rows for REV are named "REV: assume ...")
#
# The cached role is real: benchhelper (scripts/benchhelper) serves the in-process fake STS once,
# `assume ROLE` runs against it with an MFA code and writes its cache as it would against AWS, and
# every timed run then points STS at a closed port, so a run that called STS would fail the benchmark.
set -euo pipefail

runs=200
sizes="5 5000"
cgo=0
go_bench=false
check=false
against=""
while (($#)); do
	case $1 in
	--runs)
		runs=$2
		shift
		;;
	--sizes)
		sizes=$2
		shift
		;;
	--cgo) cgo=$(go env CGO_ENABLED) ;;
	--go) go_bench=true ;;
	--check) check=true ;;
	--against)
		against=$2
		shift
		;;
	-h | --help)
		awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
		exit 0
		;;
	*)
		echo "bench.sh: unknown argument $1 (see --help)" >&2
		exit 2
		;;
	esac
	shift
done

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly repo_root
cd "$repo_root"
exec </dev/null

for tool in go hyperfine; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench.sh: $tool is not installed (Debian: apt-get install $tool)" >&2
		exit 1
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/assume-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
bin=$work/bin
against_bin=$work/against-bin
mkdir -p "$bin" "$work/trivial"

# Both binaries are built here, now, by the same toolchain, so the ratio compares like with like.
echo "building assume and assume-full (CGO_ENABLED=$cgo), benchhelper and a trivial Go binary ($(go env GOVERSION), $(nproc 2>/dev/null || echo '?') cores)" >&2
# assume answers the timed runs itself and hands any other to assume-full, found beside it.
CGO_ENABLED=$cgo go build -o "$bin/" ./cmd/assume ./cmd/assume-full
go build -o "$bin/benchhelper" ./scripts/benchhelper
cat >"$work/trivial/main.go" <<'EOF'
package main

import "os"

func main() { os.Stdout.WriteString("export HELLO=world\n") }
EOF
(cd "$work/trivial" && go build -o "$bin/trivial" main.go)
if [[ -n $against ]]; then
	echo "building assume at $against" >&2
	mkdir -p "$work/against" "$against_bin"
	git -C "$repo_root" archive "$against" | tar -x -C "$work/against"
	# In a folder of its own, so that its assume hands runs to its own assume-full; a revision
	# from before the split has none, and needs none.
	packages=(./cmd/assume)
	[[ -d $work/against/cmd/assume-full ]] && packages+=(./cmd/assume-full)
	(cd "$work/against" && CGO_ENABLED=$cgo go build -o "$against_bin/" "${packages[@]}")
fi

# The user every role is assumed from: long-term keys with an MFA device, as the tool is meant for.
readonly user_key=AKIABENCHUSER0000001 user_secret=benchUserSecretKey0000000000000000000001
readonly mfa_serial=arn:aws:iam::111111111111:mfa/bench code=123456

# generate DIR N writes DIR/config and DIR/credentials with N profiles: default, the MFA user "base",
# every tenth profile a static-key user (credentials file), the rest roles sourced from base (config
# file). It prints the names of the last role and the last static profile (the worst case for
# anything that walks the files in order) and the role's ARN.
generate() {
	local dir=$1 n=$2 i role=none static=none arn=none
	mkdir -p "$dir"
	{
		printf '[default]\nregion = eu-west-1\n\n'
		printf '[profile base]\nregion = eu-west-1\nmfa_serial = %s\n\n' "$mfa_serial"
	} >"$dir/config"
	printf '[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n' "$user_key" "$user_secret" >"$dir/credentials"
	for ((i = 1; i <= n - 2; i++)); do
		if ((i % 10 == 1)); then
			static=$(printf 'static-%04d' "$i")
			printf '[%s]\naws_access_key_id = AKIASTATIC%010d\naws_secret_access_key = staticSecret%028d\n\n' \
				"$static" "$i" "$i" >>"$dir/credentials"
		else
			role=$(printf 'acct-%04d-admin' "$i")
			arn=$(printf 'arn:aws:iam::%012d:role/Admin' $((100000000000 + i)))
			printf '[profile %s]\nrole_arn = %s\nsource_profile = base\nregion = us-east-1\n\n' "$role" "$arn" >>"$dir/config"
		fi
	done
	echo "$role $static $arn"
}

# peak_kib COMMAND [ARG...] prints the largest peak RSS of five runs, in KiB. GNU time measures a
# child it forks; benchhelper is the fallback, and an upper bound: Go starts children with vfork,
# so a child's peak includes the helper's own ~7 MiB until it execs.
if /usr/bin/time -f %M -o /dev/null true >/dev/null 2>&1; then
	peak_kib() {
		local i kib peak=0
		for i in 1 2 3 4 5; do
			/usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1
			kib=$(tail -n 1 "$work/rss")
			((kib > peak)) && peak=$kib
		done
		echo "$peak"
	}
	memory_tool="GNU time"
else
	peak_kib() { "$bin/benchhelper" maxrss -n 5 -- "$@"; }
	memory_tool="benchhelper maxrss (an upper bound)"
fi

# ms SECONDS prints a hyperfine time in milliseconds.
ms() { awk -v s="$1" 'BEGIN { printf "%.2f", s * 1000 }'; }

results=$work/results.tsv
: >"$results"
missed=0

for n in $sizes; do
	dir=$work/profiles-$n
	read -r role static arn < <(generate "$dir" "$n")
	if [[ $role == none || $static == none ]]; then
		echo "bench.sh: $n profiles leave no room for a role and a static profile; use at least 3" >&2
		exit 2
	fi
	export HOME=$dir/home XDG_CACHE_HOME=$dir/cache
	export AWS_CONFIG_FILE=$dir/config AWS_SHARED_CREDENTIALS_FILE=$dir/credentials
	mkdir -p "$HOME"
	unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
		AWS_ENDPOINT_URL AWS_ENDPOINT_URL_STS AWS_CA_BUNDLE ASSUME_MFA_TOKEN

	# One real first run fills the cache: GetSessionToken with the code, then AssumeRole.
	"$bin/benchhelper" seed -key "$user_key" -secret "$user_secret" -mfa-serial "$mfa_serial" -code "$code" \
		-role "$arn" \
		-- "$bin/assume" "$role" -m "$code" --format bash 2>/dev/null
	# From here on STS is a closed port: a timed run that is not a cache hit fails.
	export AWS_ENDPOINT_URL_STS=http://127.0.0.1:9

	# --version reads no file, and the small front hands it to assume-full: it is the floor of every
	# run the front does not answer (both programs' start and package init, the flags).
	names=("trivial Go binary" "assume --version (handed over)" "assume --list-profiles" "assume ROLE --format bash (cached)" "assume STATIC --format bash")
	cmds=("$bin/trivial" "$bin/assume --version" "$bin/assume --list-profiles" "$bin/assume $role --format bash" "$bin/assume $static --format bash")
	if [[ -n $against ]]; then
		for i in 1 2 3 4; do
			names+=("$against: ${names[$i]/ (handed over)/}")
			cmds+=("${cmds[$i]/#$bin\/assume /$against_bin/assume }")
		done
	fi
	listed=$("$bin/assume" --list-profiles | wc -l)
	if ((listed != n)); then
		echo "bench.sh: --list-profiles printed $listed names for $n profiles" >&2
		exit 1
	fi

	echo "timing $n profiles ($runs runs each)" >&2
	if ! hyperfine -N --warmup 10 --runs "$runs" --style none --export-csv "$work/times-$n.csv" "${cmds[@]}" \
		>/dev/null 2>"$work/hyperfine.log"; then
		cat "$work/hyperfine.log" >&2
		exit 1
	fi
	# CSV: command,mean,stddev,median,user,system,min,max (seconds), in the order given.
	mapfile -t medians < <(tail -n +2 "$work/times-$n.csv" | cut -d, -f4)
	# CPU time (user + system, mean): what a run costs when other work makes wall time wait.
	mapfile -t cpus < <(tail -n +2 "$work/times-$n.csv" | awk -F, '{ print $5 + $6 }')
	for i in "${!cmds[@]}"; do
		read -ra argv <<<"${cmds[$i]}"
		kib=$(peak_kib "${argv[@]}")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "${names[$i]}" "${medians[$i]}" "${medians[0]}" "$kib" "${cpus[$i]}" "${cpus[0]}" >>"$results"
	done
done

# target MEDIAN_LIMIT_MS for a row, or "" when the row has none. These were set on a machine whose
# trivial Go binary starts in about 1 ms, and are checked only on one like it (see floor_ok).
target() {
	local n=$1 name=$2
	case $name in
	"assume --list-profiles") ((n >= 5000)) && echo 10 ;;
	"assume ROLE"* | "assume STATIC"*)
		if ((n <= 5)); then echo 5; elif ((n <= 5000)); then echo 15; fi
		;;
	esac
	return 0
}

# ratio_target MAX_RATIO for a row (its median over the trivial binary's in the same run), which
# holds on any machine: a cached export at 5 profiles under 2.5x, and the profile list at 5
# profiles under aws-vault 7.2.0's 2.6 ms against a trivial binary of about 1 ms.
ratio_target() {
	local n=$1 name=$2
	((n <= 5)) || return 0
	case $name in
	"assume --list-profiles") echo 2.6 ;;
	"assume ROLE --format bash (cached)") echo 2.5 ;;
	esac
	return 0
}

readonly memory_limit_kib=$((25 * 1024))
printf '\nassume built with CGO_ENABLED=%s; medians of %d runs (hyperfine), peak RSS of 5 runs (%s)\n' "$cgo" "$runs" "$memory_tool"
printf '%-9s %-48s %10s %8s %10s %8s %10s  %s\n' profiles command median ratio "cpu" ratio "peak RSS" target
while IFS=$'\t' read -r n name median base kib cpu cpu_base; do
	ratio=$(awk -v a="$median" -v b="$base" 'BEGIN { printf "%.1fx", a / b }')
	mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f MiB", k / 1024 }')
	verdict=""
	max_ratio=$(ratio_target "$n" "$name")
	if [[ -n $max_ratio ]]; then
		if awk -v a="$median" -v b="$base" -v r="$max_ratio" 'BEGIN { exit !(a / b < r) }'; then
			verdict="< ${max_ratio}x: ok"
		else
			verdict="< ${max_ratio}x: MISSED"
			missed=$((missed + 1))
		fi
	fi
	limit=$(target "$n" "$name")
	if [[ -n $limit ]] && ! awk -v b="$base" 'BEGIN { exit !(b * 1000 < 1.5) }'; then
		verdict+=" (< $limit ms: not checked, the floor here is $(ms "$base") ms)"
	elif [[ -n $limit ]]; then
		if awk -v s="$median" -v l="$limit" 'BEGIN { exit !(s * 1000 < l) }'; then
			verdict+=" < $limit ms: ok"
		else
			verdict+=" < $limit ms: MISSED"
			missed=$((missed + 1))
		fi
	fi
	if [[ $name == assume* ]] && ((kib >= memory_limit_kib)); then
		verdict+=" memory over 25 MiB: MISSED"
		missed=$((missed + 1))
	fi
	cpu_ratio=$(awk -v a="$cpu" -v b="$cpu_base" 'BEGIN { printf "%.1fx", a / b }')
	printf '%-9s %-48s %7s ms %8s %7s ms %8s %10s  %s\n' "$n" "$name" "$(ms "$median")" "$ratio" "$(ms "$cpu")" "$cpu_ratio" "$mib" "$verdict"
done <"$results"

# Package initialisation runs before main in every run, whatever it does. GODEBUG=inittrace=1
# reports each package's init; the sums are medians over 21 runs (tracing adds a little). The
# variable survives the exec by which assume hands a run to assume-full, so a handed-over run
# reports both programs' inits.
# init_ms PATTERN PROGRAM [ARG...]
init_ms() {
	local i pat=$1
	shift
	for i in $(seq 21); do
		GODEBUG=inittrace=1 "$@" 2>&1 >/dev/null |
			awk -v pat="$pat" '$1 == "init" && $2 ~ pat { t += $5 } END { printf "%.3f\n", t }'
	done | sort -n | sed -n 11p
}
printf '\npackage init per run (inittrace, median of 21), in all and in the AWS SDK (github.com/aws/):\n'
printf '  assume --list-profiles (the small front): %s ms, %s ms\n' \
	"$(init_ms . "$bin/assume" --list-profiles)" "$(init_ms '^github.com/aws/' "$bin/assume" --list-profiles)"
printf '  assume-full --version (the whole program): %s ms, %s ms\n' \
	"$(init_ms . "$bin/assume-full" --version)" "$(init_ms '^github.com/aws/' "$bin/assume-full" --version)"

if [[ $go_bench == true ]]; then
	printf '\n# go test -bench (in-process parts)\n'
	go test -run '^$' -bench . -benchmem -benchtime 300ms ./internal/cli/
fi

if [[ $check == true ]] && ((missed > 0)); then
	echo "bench.sh: $missed target(s) missed" >&2
	exit 1
fi
