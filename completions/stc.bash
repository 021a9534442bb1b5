# bash completion for stc and the session-tool.sh / assume-role commands it provides. The candidates come
# from `stc complete words`, which reads the words before the cursor and the current word on stdin (stdin, not
# arguments: a word may be a secret typed in the wrong place) and prints a mode line, then candidates
# (a tab and a description may follow a candidate).
function _stc_complete_bash {
  local _stc_cur=${COMP_WORDS[COMP_CWORD]-} _stc_mode='' _stc_line _stc_word _stc_i _stc_last
  local _stc_strip=''
  local -a _stc_words
  _stc_words=()
  # bash splits --name=value into --name, = and value (= is in COMP_WORDBREAKS): stc gets the option whole,
  # and as readline replaces only the text after the =, that much is taken off the candidates.
  for ((_stc_i = 0; _stc_i <= COMP_CWORD; _stc_i++)); do
    _stc_word=${COMP_WORDS[_stc_i]-}
    _stc_last=$((${#_stc_words[@]} - 1))
    if [ "$_stc_last" -ge 0 ] && case ${_stc_words[_stc_last]} in
      --*=) : ;;
      --*) [ "$_stc_word" = = ] ;;
      *) false ;;
    esac; then
      _stc_words[_stc_last]+=$_stc_word
      if [ "$_stc_i" -eq "$COMP_CWORD" ]; then
        _stc_strip=${_stc_words[_stc_last]}
        [ "$_stc_word" = = ] || _stc_strip=${_stc_strip%"$_stc_word"}
      fi
    else
      _stc_words+=("$_stc_word")
    fi
  done
  [ "$_stc_cur" != = ] || _stc_cur=''
  COMPREPLY=()
  while IFS= read -r _stc_line; do
    if [ -z "$_stc_mode" ]; then
      _stc_mode=$_stc_line
      continue
    fi
    _stc_line=${_stc_line%%$'\t'*}
    COMPREPLY+=("${_stc_line#"$_stc_strip"}")
  done < <(printf '%s\n' "${_stc_words[@]}" | stc complete words 2>/dev/null)
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
