# bash completion for stc and the session-tool.sh / assume-role commands it provides. The candidates come
# from `stc complete words`, which reads the words before the cursor and the current word on stdin (stdin, not
# arguments: a word may be a secret typed in the wrong place) and prints a mode line, then candidates
# (a tab and a description may follow a candidate).
function _stc_complete_bash {
  local _stc_cur=${COMP_WORDS[COMP_CWORD]-} _stc_mode='' _stc_line
  COMPREPLY=()
  while IFS= read -r _stc_line; do
    if [ -z "$_stc_mode" ]; then
      _stc_mode=$_stc_line
      continue
    fi
    COMPREPLY+=("${_stc_line%%$'\t'*}")
  done < <(printf '%s\n' "${COMP_WORDS[@]:0:COMP_CWORD}" "$_stc_cur" | stc complete words 2>/dev/null)
  case $_stc_mode in
    files*)
      compopt -o filenames 2>/dev/null
      while IFS= read -r _stc_line; do
        COMPREPLY+=("$_stc_line")
      done < <(
        if [ "$_stc_mode" = files ]; then
          compgen -f -- "$_stc_cur"
        else
          compgen -d -- "$_stc_cur"
          compgen -f -X "!*.${_stc_mode#files:}" -- "$_stc_cur"
        fi
      )
      ;;
  esac
  return 0
}
complete -F _stc_complete_bash stc get_session assume_role get_console_url rotate_credentials
if ! shopt -oq posix; then
  complete -F _stc_complete_bash aws-assume-role assume-role
fi
