# Tab completion of assume for fish. Loaded by `assume --init fish | source`, or on its own
# from ~/.config/fish/completions/assume.fish.

# Profile names, one a line, from the fast path of the binary.
function __assume_profiles
    command assume --list-profiles 2>/dev/null
end

# True once the command line holds `--` before the current token: what follows is the
# command that assume runs.
function __assume_after_dashdash
    contains -- -- (commandline -opc)
end

# True while no profile has been typed yet (flags and their values aside).
function __assume_wants_profile
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip_value 0
    for token in $tokens
        if test $skip_value = 1
            set skip_value 0
            continue
        end
        switch $token
            case -m --mfa-token --format --mfa-process -d --duration --session-duration -r \
                    --region --role-arn --external-id --session-name --init --write-profile --qr-file \
                    --access-key-id --mfa-serial --mfa-device-name --seed-file -s --service --keyring
                set skip_value 1
            case '-*'
            case '*'
                return 1
        end
    end
    return 0
end

# Completes the words after `--` as if the command were typed alone.
function __assume_complete_command
    set -l tokens (commandline -opc)
    set -l dashdash (contains -i -- -- $tokens)
    set -l command $tokens[(math $dashdash + 1)..-1]
    __fish_complete_subcommand --commandline (string escape -- $command) (commandline -ct)
end

complete -c assume -e
complete -c assume -f
complete -c assume -n __assume_after_dashdash -x -a '(__assume_complete_command)'
complete -c assume -n 'not __assume_after_dashdash; and __assume_wants_profile' -a '(__assume_profiles)' -d profile

complete -c assume -n 'not __assume_after_dashdash' -s m -l mfa-token -x -d 'the 6-digit MFA code'
complete -c assume -n 'not __assume_after_dashdash' -l format -x -d 'output format' \
    -a 'bash zsh fish powershell pwsh sh dotenv json credential-process'
complete -c assume -n 'not __assume_after_dashdash' -l mfa-process -x -d 'command whose output holds the MFA code'
complete -c assume -n 'not __assume_after_dashdash' -s d -l duration -x -d 'lifetime of the credentials (1h, 90m, 3600)'
complete -c assume -n 'not __assume_after_dashdash' -l session-duration -x -d 'lifetime of the cached MFA session'
complete -c assume -n 'not __assume_after_dashdash' -s r -l region -x -d 'region to export and to call STS in' \
    -a 'us-east-1 us-east-2 us-west-1 us-west-2 af-south-1 ap-east-1 ap-east-2
        ap-south-1 ap-south-2 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-southeast-1
        ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-5 ap-southeast-7
        ca-central-1 ca-west-1 eu-central-1 eu-central-2 eu-north-1 eu-south-1 eu-south-2
        eu-west-1 eu-west-2 eu-west-3 il-central-1 me-central-1 me-south-1 mx-central-1
        sa-east-1 us-gov-east-1 us-gov-west-1 cn-north-1 cn-northwest-1'
complete -c assume -n 'not __assume_after_dashdash' -l role-arn -x -d 'role to assume with PROFILE as the source'
complete -c assume -n 'not __assume_after_dashdash' -l external-id -x -d 'external ID for the role'
complete -c assume -n 'not __assume_after_dashdash' -l session-name -x -d 'role session name'
complete -c assume -n 'not __assume_after_dashdash' -l no-session -d 'call AssumeRole with the MFA code, no cached session'
complete -c assume -n 'not __assume_after_dashdash' -l refresh -d 'ignore cached credentials for this profile'
complete -c assume -n 'not __assume_after_dashdash' -s u -l unset -d 'clear every variable assume sets'
complete -c assume -n 'not __assume_after_dashdash' -s l -l list -d 'list the profiles'
complete -c assume -n 'not __assume_after_dashdash' -l init -x -d 'print the shell integration' \
    -a 'bash zsh fish powershell'
complete -c assume -n 'not __assume_after_dashdash' -l write-profile -x -d 'also write the credentials to the credentials file' \
    -a '(__assume_profiles)'
complete -c assume -n 'not __assume_after_dashdash' -l setup -d 'guided set-up of PROFILE'
complete -c assume -n 'not __assume_after_dashdash' -l server -d 'with -- COMMAND, serve renewing credentials to it'
complete -c assume -n 'not __assume_after_dashdash' -l non-interactive -d 'never ask; fail when an MFA code is needed'
complete -c assume -n 'not __assume_after_dashdash' -l auto-refresh -d 'with --init, renew the credentials at the prompt'
complete -c assume -n 'not __assume_after_dashdash' -l qr-file -r -F -d 'with --setup, save the QR code of a new MFA device'
complete -c assume -n 'not __assume_after_dashdash' -l access-key-id -x -d 'with --setup, the access key ID of the IAM user'
complete -c assume -n 'not __assume_after_dashdash' -l secret-stdin -d 'with --setup, read the secret access key from stdin'
complete -c assume -n 'not __assume_after_dashdash' -l mfa-serial -x -d 'with --setup, the MFA device to use'
complete -c assume -n 'not __assume_after_dashdash' -l mfa-device-name -x -d 'with --setup, the name of a new virtual MFA device'
complete -c assume -n 'not __assume_after_dashdash' -l seed-file -r -F -d 'with --setup, save the secret of a new MFA device'
complete -c assume -n 'not __assume_after_dashdash' -l clear-cache -d 'delete every cached session and role credential'
complete -c assume -n 'not __assume_after_dashdash' -s c -l console -d 'open the AWS console in the browser, signed in'
complete -c assume -n 'not __assume_after_dashdash' -l console-url -d 'print the console sign-in URL (a credential for 15 minutes)'
complete -c assume -n 'not __assume_after_dashdash' -s s -l service -x -d 'with --console, the service console to open' \
    -a 'acm apigateway athena billing cloudformation cloudfront cloudtrail cloudwatch codebuild codepipeline cost dynamodb ec2 ecr ecs eks
        iam kms lambda logs organizations rds route53 s3 secretsmanager sns sqs ssm sso stepfunctions vpc'
complete -c assume -n 'not __assume_after_dashdash' -l sign-out -d 'with --console, sign out of the current console session first'
complete -c assume -n 'not __assume_after_dashdash' -l version -d 'print the version'
complete -c assume -n 'not __assume_after_dashdash' -s h -l help -d 'print help'
complete -c assume -n 'not __assume_after_dashdash' -l keyring -x -d 'keyring for long-term keys' \
    -a 'auto keychain wincred secret-service pass file'
complete -c assume -n 'not __assume_after_dashdash' -l to-keyring -d 'move the access key of PROFILE into the keyring'
complete -c assume -n 'not __assume_after_dashdash' -l to-file -d 'move the access key of PROFILE back into the credentials file'
