# stc shell integration for fish, loaded by: stc init fish | source
#
# Defines the stc function (runs stc and applies the environment changes it prints), session-tool.sh's
# get_session, assume_role, get_console_url, rotate_credentials and aws-assume-role, Coinbase's assume-role,
# the prompt helper stc_prompt and completions. Internal names start with _stc_; nothing else is set.

# The base session (STC_BASE_SESSION) is an unexported global: the prefix assignment hands it to this one stc
# process, never to other children of the shell.
# stdout is evaluated only when it starts with the line STC_EVAL_MARK, a fresh random word stc writes when, and
# only when, it prints shell code; anything else (a version, help, a URL, JSON, a list) is printed untouched.
function stc --description 'AWS sessions, roles and console sign-in'
    # Commands that run programs: their output and terminal are the program's own, not captured for this shell.
    switch "$argv[1]"
        case exec credential-process serve agent
            STC_BASE_SESSION="$STC_BASE_SESSION" command @STC@ $argv
            return $status
    end
    set -l _stc_mark stc-(random)(random)(random)(random)(random)
    # A pipe into `read`, not a command substitution: stc must get the function's stdin (`… | stc import -`).
    STC_EVAL_SHELL=fish STC_EVAL_MARK=$_stc_mark STC_BASE_SESSION="$STC_BASE_SESSION" command @STC@ $argv | read -lz _stc_out
    set -l _stc_rc $pipestatus[1]
    if string match -q -- "$_stc_mark"\n'*' "$_stc_out"
        # The status of the code itself is not stc's: `set -e` of a variable that is not set returns 4.
        test "$_stc_rc" -eq 0
        and string sub -s (math (string length -- "$_stc_mark") + 2) -- "$_stc_out" | source
    else
        printf '%s' "$_stc_out"
    end
    return $_stc_rc
end

# Prints e.g. (awsops[dev-admin]) coloured by the time left: green, yellow under 10 minutes, red when expired.
# Use it in fish_prompt, e.g.: function fish_prompt; stc_prompt; printf '> '; end
function stc_prompt --description 'Show the AWS profile and role of stc, coloured by time left'
    set -q AWS_PROFILE[1]; and test -n "$AWS_PROFILE"; or return 0
    # One string, whatever the value holds: a command substitution would split it at line breaks.
    set -l _stc_text (_stc_visible "$AWS_PROFILE" | string collect)
    if set -q AWS_ROLE_ALIAS[1]; and test -n "$AWS_ROLE_ALIAS"
        set _stc_text "$_stc_text"'['(_stc_visible "$AWS_ROLE_ALIAS" | string collect)']'
    end
    if set -q NO_COLOR; or not string match -qr '^[0-9]+$' -- "$AWS_EXPIRATION_S"
        printf '(%s)' "$_stc_text"
        return 0
    end
    set -l _stc_left (math $AWS_EXPIRATION_S - (date +%s))
    set -l _stc_colour red
    if test $_stc_left -gt 600
        set _stc_colour green
    else if test $_stc_left -gt 0
        set _stc_colour yellow
    end
    printf '(%s%s%s)' (set_color $_stc_colour) "$_stc_text" (set_color normal)
end

# session-tool.sh's name for it.
function session_tool_prompt --description 'session-tool.sh session_tool_prompt: stc_prompt'
    stc_prompt $argv
end

# Prints $argv[1] as it is, except that control characters, bidi controls and invisible formatting characters
# are shown as \xNN or \u{NNNN}, as in stc's messages: a name cannot start a line, recolour, retitle or reorder
# the prompt.
function _stc_visible --argument-names _stc_in
    set -l _stc_unsafe '[\x00-\x1f\x7f-\x9f\x{ad}\x{61c}\x{115f}\x{1160}\x{17b4}\x{17b5}\x{180b}-\x{180f}\x{200b}-\x{200f}\x{2028}-\x{202e}\x{2060}-\x{206f}\x{3164}\x{fe00}-\x{fe0f}\x{feff}\x{ffa0}\x{fff0}-\x{fffb}\x{e0000}-\x{e0fff}]'
    if not string match -qr -- $_stc_unsafe "$_stc_in"
        printf '%s' "$_stc_in"
        return 0
    end
    set -l _stc_length (string length -- "$_stc_in")
    for _stc_i in (seq $_stc_length)
        # The command substitution splits a line feed into two empty elements.
        set -l _stc_c (string sub -s $_stc_i -l 1 -- "$_stc_in")
        if test (count $_stc_c) -ne 1
            printf '\\\\x0a'
        else if string match -qr -- $_stc_unsafe "$_stc_c"
            set -l _stc_code (printf '%d' "'$_stc_c")
            if test $_stc_code -le 255
                printf '\\\\x%02x' $_stc_code
            else
                printf '\\\\u{%x}' $_stc_code
            end
        else
            printf '%s' "$_stc_c"
        end
    end
end

# One `stc: error:` line, as stc itself reports usage errors (argparse's own message names the option).
function _stc_usage_error --argument-names command message
    printf 'stc: error: %s\nhint: see \'%s -h\'\n' $message $command >&2
    return 2
end

# get_session [-h] [-s] [-r] [-l] [-c] [-d|-u] [-v] [-i <file> -b <bucket>|-e] [-p <profile>] [<MFA token>]
function get_session --description 'session-tool.sh get_session, run by stc'
    argparse --name=get_session h s r l c d u v i= b= e p= -- $argv 2>&1 >/dev/null | read -lz _stc_err
    test $pipestatus[1] -eq 0; or begin
        _stc_usage_error get_session (string split -- \n $_stc_err)[1]
        return 2
    end
    if set -q _flag_h
        stc init --usage get_session
        return
    end
    set -l _stc_flags
    for _stc_flag in c l r s v
        set -q _flag_$_stc_flag; and set -a _stc_flags -$_stc_flag
    end
    set -l _stc_common
    set -q _flag_p; and set _stc_common -p $_flag_p
    if set -q _flag_i
        set -q _flag_b; and set -a _stc_common -b $_flag_b
        set -q _flag_d; and set -a _stc_common -d
        if test -e "$_flag_i"
            stc import $_stc_common -- $_flag_i
            return
        end
        # KEYID,SECRET: handed over on stdin (printf is a builtin: the secret never shows in ps), and the
        # command line holding it leaves the history, as session-tool.sh does in bash.
        set -l _stc_line (status current-commandline | string collect)
        if status is-interactive; and string match -qr -- (string escape --style=regex -- $_flag_i) $_stc_line
            history delete --exact --case-sensitive -- $_stc_line >/dev/null 2>&1
        end
        printf '%s\n' $_flag_i | STC_SECRET_ON_COMMAND_LINE=1 stc import $_stc_common -
        return
    end
    if set -q _flag_e
        stc export $_stc_common
        return
    end
    if set -q _flag_d; and set -q _flag_u
        _stc_usage_error get_session '-d and -u exclude each other'
        return
    end
    if set -q _flag_d; or set -q _flag_u
        set -l _stc_what --download
        set -q _flag_u; and set _stc_what --upload
        stc roles $_stc_what $_stc_common; or return
        # Only the roles were asked for: no new session.
        test (count $_stc_flags $argv) -gt 0; or return 0
    end
    stc session $_stc_flags $_stc_common $argv
end

# assume_role [-h] [-l] <alias>
function assume_role --description 'session-tool.sh assume_role, run by stc'
    argparse --name=assume_role h l -- $argv 2>&1 >/dev/null | read -lz _stc_err
    test $pipestatus[1] -eq 0; or begin
        _stc_usage_error assume_role (string split -- \n $_stc_err)[1]
        return 2
    end
    if set -q _flag_h
        stc init --usage assume_role
    else if set -q _flag_l
        stc roles --names
    else
        stc assume $argv
    end
end

# get_console_url [-h] [-l] [-o|-d] [-u <url>] <alias>
function get_console_url --description 'session-tool.sh get_console_url, run by stc'
    argparse --name=get_console_url h l o d u= -- $argv 2>&1 >/dev/null | read -lz _stc_err
    test $pipestatus[1] -eq 0; or begin
        _stc_usage_error get_console_url (string split -- \n $_stc_err)[1]
        return 2
    end
    if set -q _flag_h
        stc init --usage get_console_url
        return
    end
    if set -q _flag_l
        stc roles --names
        return
    end
    set -l _stc_flags
    set -q _flag_o; and set -a _stc_flags -o
    set -q _flag_d; and set -a _stc_flags -d
    set -q _flag_u; and set -a _stc_flags -u $_flag_u
    stc console $_stc_flags $argv
end

# rotate_credentials [-h] [-p <profile>] [-y|-n] [-t]
function rotate_credentials --description 'session-tool.sh rotate_credentials, run by stc'
    argparse --name=rotate_credentials h p= y n t -- $argv 2>&1 >/dev/null | read -lz _stc_err
    test $pipestatus[1] -eq 0; or begin
        _stc_usage_error rotate_credentials (string split -- \n $_stc_err)[1]
        return 2
    end
    if set -q _flag_h
        stc init --usage rotate_credentials
        return
    end
    set -l _stc_flags
    set -q _flag_p; and set _stc_flags -p $_flag_p
    for _stc_flag in y n t
        set -q _flag_$_stc_flag; and set -a _stc_flags -$_stc_flag
    end
    stc rotate $_stc_flags $argv
end

# aws-assume-role PROFILE ALIAS [MFA]: a session, the role, and a console URL for it, as session-tool.sh does.
function aws-assume-role --description 'session-tool.sh aws-assume-role, run by stc'
    if contains -- "$argv[1]" -h --help
        stc init --usage aws-assume-role
        return
    end
    if test (count $argv) -lt 2; or test (count $argv) -gt 3
        _stc_usage_error aws-assume-role 'expected PROFILE ALIAS [MFA]'
        return
    end
    stc session -p $argv[1] $argv[3..-1]; and stc assume $argv[2]; and stc console $argv[2]
end

# Coinbase's assume-role [account] [role] [mfa].
function assume-role --description 'Coinbase assume-role, run by stc'
    if contains -- "$argv[1]" -h --help
        stc init --usage assume-role
        return
    end
    stc assume $argv
end

# Auto-renew (stc init fish --auto-renew): before each prompt, an assumed role with fewer than 5 minutes left
# (by this computer's clock) is assumed again from the MFA session, quietly, by `stc assume --renew`. The check
# starts no process when nothing is due. A failed renewal is shown once for those credentials, then retried
# quietly after 1, 2, 4, 8 and at most every 15 minutes; stc's network deadlines bound each attempt.
# fish has no clock variable, but `path mtime` (fish 3.5) tells a file's modification time and its age, whose
# sum is now; older fish starts `date`.
function _stc_auto_renew
    test -n "$AWS_ROLE_ALIAS"; and set -q AWS_EXPIRATION_S[1]; or return 0
    set -l _stc_clock
    if set -q _stc_has_path
        set _stc_clock (path mtime -- $__fish_data_dir) (path mtime --relative -- $__fish_data_dir)
    end
    set -q _stc_clock[2]; or set _stc_clock (date +%s) 0
    set -l _stc_due (math $_stc_clock[1] + $_stc_clock[2] + 300)
    # test fails, quietly, for an expiry that is not a number.
    test "$AWS_EXPIRATION_S" -lt $_stc_due 2>/dev/null; and _stc_renew (math $_stc_due - 300)
    return 0
end

# Renews the role ($argv[1]: now) from an MFA session of the profile it came from (AWS_PROFILE: the shell's
# session or the agent's). A failure is remembered for these credentials: _stc_renew_for (their expiry),
# _stc_renew_next (no attempt before) and _stc_renew_wait (the pause, doubled at each failure).
function _stc_renew --argument-names _stc_now
    set -l _stc_rc 0
    set -l _stc_first false
    set -l _stc_profile
    test -n "$AWS_PROFILE"; and set _stc_profile --profile=$AWS_PROFILE
    if test "$_stc_renew_for" != "$AWS_EXPIRATION_S"
        set _stc_first true
        set -g _stc_renew_wait 30
        stc assume --renew $_stc_profile </dev/null
        set _stc_rc $status
    else if test $_stc_now -ge $_stc_renew_next
        stc assume --renew $_stc_profile </dev/null 2>/dev/null
        set _stc_rc $status
    else
        return 0
    end
    # Credentials due as soon as they are renewed would be renewed at every prompt.
    if test $_stc_rc -eq 0; and test (math $AWS_EXPIRATION_S - $_stc_now) -lt 300
        test $_stc_first = false
        or printf '%s\n' "stc: warning: renewed credentials expire within 5 minutes by this computer's clock; is it right?" >&2
        set _stc_rc 1
    end
    if test $_stc_rc -eq 0
        set -e _stc_renew_for _stc_renew_next _stc_renew_wait
        return 0
    end
    set -g _stc_renew_for $AWS_EXPIRATION_S
    set -g _stc_renew_wait (math "min($_stc_renew_wait * 2, 900)")
    set -g _stc_renew_next (math $_stc_now + $_stc_renew_wait)
end

# Runs _stc_auto_renew at each fish_prompt event, which comes before the prompt is drawn.
function _stc_auto_renew_enable
    builtin -q path 2>/dev/null; and set -g _stc_has_path
    function _stc_auto_renew_on_prompt --on-event fish_prompt
        _stc_auto_renew
    end
end
