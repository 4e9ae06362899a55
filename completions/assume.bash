# shellcheck shell=bash
# Tab completion of assume for bash, with or without the bash-completion package.
# Loaded by `eval "$(assume --init bash)"`, or on its own: `source assume.bash`.

# _assume_add_matches CUR WORD...: adds to COMPREPLY every WORD that starts with CUR.
_assume_add_matches() {
	local cur=$1 word
	shift
	for word in "$@"; do
		if [[ $word == "$cur"* ]]; then
			COMPREPLY+=("$word")
		fi
	done
}

_assume() {
	COMPREPLY=()
	# bash splits the line at every COMP_WORDBREAKS character (= : @ by default), so a
	# profile "dev:admin" arrives as three words. Join again the pieces that no blank
	# separates, up to the cursor, so that the code below sees the words as typed.
	local rest=${COMP_LINE:0:COMP_POINT} piece trimmed
	local -a words=()
	local n=-1 i
	for ((i = 0; i <= COMP_CWORD; i++)); do
		piece=${COMP_WORDS[i]-}
		trimmed=${rest#"${rest%%[![:space:]]*}"}
		if ((i == COMP_CWORD)); then
			# The word under the cursor ends at the cursor.
			piece=$trimmed
		fi
		if ((n >= 0)) && [[ $trimmed == "$rest" ]]; then
			words[n]+=$piece
		else
			n=$((n + 1))
			words[n]=$piece
		fi
		rest=${trimmed#"$piece"}
	done
	local cur=${words[n]} prev=''
	if ((n > 0)); then
		prev=${words[n - 1]}
	fi

	# `assume PROFILE -- COMMAND ARGS`: complete the command's own words.
	for ((i = 1; i < n; i++)); do
		if [[ ${words[i]} == -- ]]; then
			local offset
			for ((offset = 1; offset < COMP_CWORD; offset++)); do
				if [[ ${COMP_WORDS[offset]} == -- ]]; then
					break
				fi
			done
			if declare -F _command_offset >/dev/null; then
				# bash-completion: delegate to the command's own completion.
				_command_offset $((offset + 1))
			elif ((i + 1 == n)); then
				mapfile -t COMPREPLY < <(compgen -c -- "$cur")
			else
				compopt -o filenames 2>/dev/null || true
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			fi
			return 0
		fi
	done

	local formats='bash zsh fish powershell pwsh sh dotenv json credential-process'
	local shells='bash zsh fish powershell'
	local regions='us-east-1 us-east-2 us-west-1 us-west-2 af-south-1 ap-east-1 ap-east-2
		ap-south-1 ap-south-2 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-southeast-1
		ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-5 ap-southeast-7
		ca-central-1 ca-west-1 eu-central-1 eu-central-2 eu-north-1 eu-south-1 eu-south-2
		eu-west-1 eu-west-2 eu-west-3 il-central-1 me-central-1 me-south-1 mx-central-1
		sa-east-1 us-gov-east-1 us-gov-west-1 cn-north-1 cn-northwest-1'
	# The services -s knows by name (any other name or a console path works too).
	local services='acm apigateway athena billing cloudformation cloudfront cloudtrail cloudwatch codebuild codepipeline cost dynamodb ec2 ecr ecs eks
		iam kms lambda logs organizations rds route53 s3 secretsmanager sns sqs ssm sso stepfunctions vpc'
	local flags='-m --mfa-token --format --mfa-process -d --duration --session-duration
		-r --region --role-arn --external-id --session-name --no-session --refresh
		-u --unset -l --list --init --write-profile --setup --qr-file --access-key-id
		--secret-stdin --mfa-serial --mfa-device-name --seed-file --clear-cache -c --console
		--console-url -s --service --sign-out
		--server --non-interactive --auto-refresh --keyring --to-keyring --to-file --version -h --help'
	# Flags followed by a value of their own.
	local value_flags=' -m --mfa-token --format --mfa-process -d --duration --session-duration
		-r --region --role-arn --external-id --session-name --init --write-profile --qr-file
		--access-key-id --mfa-serial --mfa-device-name --seed-file -s --service --keyring '
	value_flags=${value_flags//[[:space:]]/ }

	local value_of='' value_prefix=''
	if [[ $cur == --*=* ]]; then
		value_of=${cur%%=*}
		value_prefix=$value_of=
		cur=${cur#*=}
	elif [[ -n $prev && $value_flags == *" $prev "* ]]; then
		value_of=$prev
	fi

	# The word as typed may be quoted; match names against what the shell will read. After
	# an opening quote, readline keeps the rest inside the quotes, so replies go in as they
	# are; otherwise every reply is escaped (printf %q) so that a name such as "sp ace" or
	# "x$(cmd)" is inserted as one word that runs nothing.
	local raw_cur=$cur quote_replies=1
	if [[ $cur == [\'\"]* ]]; then
		cur=${cur:1}
		quote_replies=0
	else
		cur=''
		for ((i = 0; i < ${#raw_cur}; i++)); do
			if [[ ${raw_cur:i:1} == \\ ]]; then
				i=$((i + 1))
			fi
			cur+=${raw_cur:i:1}
		done
	fi

	local -a candidates=()
	# Word splitting of these fixed, space-separated lists is intended.
	# shellcheck disable=SC2206
	case $value_of in
	--format) candidates=($formats) ;;
	--init) candidates=($shells) ;;
	--keyring) candidates=(auto keychain wincred secret-service pass file) ;;
	-r | --region) candidates=($regions) ;;
	-s | --service) candidates=($services) ;;
	--write-profile) mapfile -t candidates < <(command assume --list-profiles 2>/dev/null) ;;
	--qr-file | --seed-file)
		# readline quotes file names itself.
		quote_replies=0
		compopt -o filenames 2>/dev/null || true
		mapfile -t candidates < <(compgen -f -- "$cur")
		;;
	'')
		if [[ $cur == -* ]]; then
			candidates=($flags)
		else
			# One profile at most: none once a word that is no flag or flag value is there.
			local skip_value=0
			for ((i = 1; i < n; i++)); do
				if ((skip_value)); then
					skip_value=0
				elif [[ $value_flags == *" ${words[i]} "* ]]; then
					skip_value=1
				elif [[ ${words[i]} != -* ]]; then
					return 0
				fi
			done
			mapfile -t candidates < <(command assume --list-profiles 2>/dev/null)
		fi
		;;
	esac
	if ((${#candidates[@]} == 0)); then
		return 0
	fi
	_assume_add_matches "$cur" "${candidates[@]}"
	if ((${#COMPREPLY[@]} == 0)); then
		return 0
	fi

	# Readline replaces only the end of the word: the text bash passes as $2, which starts
	# after the last COMP_WORDBREAKS character (or at it, for @ and $). The replies must not
	# repeat what comes before it ("prod:" of "prod:readonly").
	local typed=$value_prefix$raw_cur strip='' j
	if [[ -n ${2+set} && $typed == *"$2" ]]; then
		strip=${typed%"$2"}
	else
		for ((j = ${#typed} - 1; j >= 0; j--)); do
			if [[ ${COMP_WORDBREAKS-} == *"${typed:j:1}"* ]]; then
				strip=${typed:0:j+1}
				break
			fi
		done
	fi
	for ((j = 0; j < ${#COMPREPLY[@]}; j++)); do
		piece=${COMPREPLY[j]}
		if ((quote_replies)); then
			printf -v piece '%q' "$piece"
		fi
		piece=$value_prefix$piece
		COMPREPLY[j]=${piece#"$strip"}
	done
	return 0
}

complete -F _assume assume
