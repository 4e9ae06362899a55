# Tab completion of assume for PowerShell. Loaded by
#   assume --init powershell | Out-String | Invoke-Expression
# PowerShell offers it for profile names and flag values. For the wrapper function (a
# PowerShell command) it completes flag names itself, so typing `-` lists none of assume's.
Register-ArgumentCompleter -Native -CommandName assume -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $formats = 'bash', 'zsh', 'fish', 'powershell', 'pwsh', 'sh', 'dotenv', 'json', 'credential-process'
    $shells = 'bash', 'zsh', 'fish', 'powershell'
    $regions = 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1',
        'ap-east-2', 'ap-south-1', 'ap-south-2', 'ap-northeast-1', 'ap-northeast-2',
        'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
        'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'ca-central-1', 'ca-west-1',
        'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1',
        'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
        'sa-east-1', 'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1'
    $flags = '-m', '--mfa-token', '--format', '--mfa-process', '-d', '--duration',
        '--session-duration', '-r', '--region', '--role-arn', '--external-id', '--session-name',
        '--no-session', '--refresh', '-u', '--unset', '-l', '--list', '--init',
        '--write-profile', '--setup', '--qr-file', '--access-key-id', '--secret-stdin',
        '--mfa-serial', '--mfa-device-name', '--seed-file', '--clear-cache', '-c', '--console',
        '--console-url', '-s', '--service', '--sign-out',
        '--server', '--non-interactive', '--auto-refresh', '--keyring', '--to-keyring', '--to-file',
        '--version', '-h', '--help'
    # Flags followed by a value of their own.
    $valueFlags = '-m', '--mfa-token', '--format', '--mfa-process', '-d', '--duration',
        '--session-duration', '-r', '--region', '--role-arn', '--external-id', '--session-name',
        '--init', '--write-profile', '--qr-file', '--access-key-id', '--mfa-serial',
        '--mfa-device-name', '--seed-file', '-s', '--service', '--keyring'

    # The services -s knows by name (any other name or a console path works too).
    $services = 'acm', 'apigateway', 'athena', 'billing', 'cloudformation', 'cloudfront',
        'cloudtrail', 'cloudwatch', 'codebuild', 'codepipeline', 'cost', 'dynamodb', 'ec2', 'ecr',
        'ecs', 'eks', 'iam', 'kms', 'lambda', 'logs', 'organizations', 'rds', 'route53', 's3',
        'secretsmanager', 'sns', 'sqs', 'ssm', 'sso', 'stepfunctions', 'vpc'

    # The function named assume shadows the binary: ask the application itself.
    $listProfiles = {
        $app = Get-Command -Name assume -CommandType Application -ErrorAction Ignore |
            Select-Object -First 1
        if ($app) {
            & $app --list-profiles 2>$null
        }
    }

    # The words before the one being completed, as typed.
    $wordToComplete = [string]$wordToComplete
    $wordStart = $cursorPosition - $wordToComplete.Length
    $before = @($commandAst.CommandElements |
        Where-Object { $_.Extent.StartOffset -lt $wordStart } |
        ForEach-Object { $_.Extent.Text })
    $previous = if ($before.Count -gt 1) { $before[-1] } else { '' }

    $current = $wordToComplete
    $valueOf = ''
    $valuePrefix = ''
    if ($current -match '^(--[^=]+)=(.*)$') {
        $valueOf = $Matches[1]
        $valuePrefix = $valueOf + '='
        $current = $Matches[2]
    } elseif ($valueFlags -ccontains $previous) {
        $valueOf = $previous
    }

    $candidates = @()
    $resultType = 'ParameterValue'
    switch -CaseSensitive ($valueOf) {
        '--format' { $candidates = $formats }
        '--init' { $candidates = $shells }
        '--keyring' { $candidates = 'auto', 'keychain', 'wincred', 'secret-service', 'pass', 'file' }
        '-r' { $candidates = $regions }
        '--region' { $candidates = $regions }
        '-s' { $candidates = $services }
        '--service' { $candidates = $services }
        '--write-profile' { $candidates = @(& $listProfiles) }
        '' {
            if ($current.StartsWith('-')) {
                $candidates = $flags
                $resultType = 'ParameterName'
            } else {
                # One profile at most, and nothing after `--` (the command's own words).
                $skipValue = $false
                for ($i = 1; $i -lt $before.Count; $i++) {
                    $word = $before[$i]
                    if ($skipValue) {
                        $skipValue = $false
                    } elseif ($valueFlags -ccontains $word) {
                        $skipValue = $true
                    } elseif ($word -ceq '--' -or -not $word.StartsWith('-')) {
                        return
                    }
                }
                $candidates = @(& $listProfiles)
            }
        }
    }

    # A typed opening quote is not part of the name.
    $current = $current.TrimStart([char]39, [char]34)
    foreach ($candidate in $candidates) {
        if (-not $candidate.StartsWith($current, [System.StringComparison]::Ordinal)) {
            continue
        }
        $text = $valuePrefix + $candidate
        # Quote every word that is not plainly one word of letters, digits and . _ : / + = @ -
        # (not starting with @, which splats): in single quotes every character is kept, the
        # quote characters themselves doubled, so $, backtick, ~, [, #, spaces and the rest
        # cannot act.
        if ($text -cnotmatch '^[A-Za-z0-9._:/+=-][A-Za-z0-9._:/+=@-]*$') {
            $text = "'" + ($text -replace '([''\u2018\u2019\u201A\u201B])', '$1$1') + "'"
        }
        # What the menu shows has control characters written out (ESC as \x1b).
        $shown = [regex]::Replace($candidate, '[\p{Cc}\p{Cf}]', {
                param($m)
                $code = [int][char]$m.Value
                if ($code -lt 256) { '\x{0:x2}' -f $code } else { '\u{0:x4}' -f $code }
            })
        [System.Management.Automation.CompletionResult]::new($text, $shown, $resultType, $shown)
    }
}
