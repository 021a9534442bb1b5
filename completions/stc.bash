# bash completion for stc and the session-tool.sh / assume-role commands it provides. The candidates come
# from `stc complete words`, which reads the words before the cursor and the current word on stdin (stdin, not
# arguments: a word may be a secret typed in the wrong place) and prints a mode line, then candidates
# (a tab and a description may follow a candidate).
function _stc_complete_bash {
  local _stc_mode='' _stc_line _stc_word _stc_i _stc_last _stc_rest _stc_trimmed _stc_pos=0 _stc_glued
  local _stc_cur='' _stc_strip=''
  local -a _stc_words
  _stc_words=()
  # bash splits words at the characters of COMP_WORDBREAKS, so --name=value, ACCOUNT:ROLE and a:b arrive as three
  # words. stc gets them whole again: a : or = word is glued to its neighbours when the line has no space between
  # them. readline replaces only the text after the last : or =, so that much is taken off the candidates.
  for ((_stc_i = 0; _stc_i <= COMP_CWORD; _stc_i++)); do
    _stc_word=${COMP_WORDS[_stc_i]-}
    _stc_rest=${COMP_LINE:_stc_pos}
    _stc_trimmed=${_stc_rest#"${_stc_rest%%[![:space:]]*}"}
    _stc_pos=$((_stc_pos + ${#_stc_rest} - ${#_stc_trimmed} + ${#_stc_word}))
    _stc_last=$((${#_stc_words[@]} - 1))
    _stc_glued=false
    if [ "$_stc_last" -ge 0 ] && [ "${#_stc_rest}" -eq "${#_stc_trimmed}" ]; then
      case $_stc_word in
        *[!:=]*) case ${COMP_WORDS[_stc_i - 1]} in *[!:=]*) ;; *) _stc_glued=true ;; esac ;;
        *) _stc_glued=true ;;
      esac
    fi
    if [ "$_stc_glued" = true ]; then
      _stc_words[_stc_last]+=$_stc_word
    else
      _stc_words+=("$_stc_word")
    fi
  done
  _stc_cur=${_stc_words[${#_stc_words[@]} - 1]}
  # The text readline replaces: after the last : or = of a glued word.
  case ${COMP_WORDS[COMP_CWORD]-} in
    *[!:=]*) _stc_strip=${_stc_cur%"${COMP_WORDS[COMP_CWORD]}"} ;;
    *) _stc_strip=$_stc_cur ;;
  esac
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
        COMPREPLY+=("${_stc_line#"$_stc_strip"}")
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
