# fish completion for stc and the session-tool.sh / assume-role commands it provides. The candidates come
# from `stc complete words`, which reads the words before the cursor and the current word on stdin (stdin, not
# arguments: a word may be a secret typed in the wrong place) and prints a mode line, then candidates
# (a tab and a description may follow a candidate).
function _stc_complete_fish
    # The word being typed as fish reads it (`\%s` is %s), so that stc compares names, not escapes.
    set -l _stc_current (commandline -ct | string unescape)
    set -l _stc_lines (printf '%s\n' (commandline -opc) "$_stc_current" | stc complete words 2>/dev/null)
    switch "$_stc_lines[1]"
        case files
            __fish_complete_path (commandline -ct)
        case 'files:*'
            # fish offers other files after the matching ones; only directories and matches are wanted.
            set -l _stc_ext (string replace -- files: '' $_stc_lines[1] | string escape --style=regex)
            __fish_complete_suffix .$_stc_ext | string match -r -- "^.*(?:\\.$_stc_ext|/)(?:\t.*)?\$"
        case '*'
            set -e _stc_lines[1]
            printf '%s\n' $_stc_lines
    end
end
# -e first: loading the init code again must not register (and run) the completion twice.
for _stc_command in stc get_session assume_role get_console_url rotate_credentials aws-assume-role assume-role
    complete -c $_stc_command -e
    complete -c $_stc_command -f -a '(_stc_complete_fish)'
end
set -e _stc_command
