# stc shell integration for bash, loaded by: eval "$(stc init bash)"
#
# Defines the stc function (runs stc and applies the environment changes it prints), session-tool.sh's
# get_session, assume_role, get_console_url, rotate_credentials and aws-assume-role, Coinbase's assume-role,
# the prompt helper stc_prompt and completions. Internal names start with _stc_; nothing else is set.

# The base session (STC_BASE_SESSION) is an unexported shell variable: the prefix assignment hands it to this
# one stc process, never to other children of the shell.
# stdout is evaluated only when it starts with the line STC_EVAL_MARK, a fresh random word stc writes when, and
# only when, it prints shell code; anything else (a version, help, a URL, JSON, a list) is printed untouched.
# The dot after the output keeps its trailing newlines, which command substitution would remove.
function stc {
  local _stc_out _stc_rc=0 _stc_mark="stc-${SRANDOM-}$RANDOM$RANDOM$RANDOM$RANDOM"
  _stc_out=$(
    STC_EVAL_SHELL=bash STC_EVAL_MARK=$_stc_mark STC_BASE_SESSION="${STC_BASE_SESSION-}" command @STC@ "$@"
    _stc_rc=$?
    printf .
    exit "$_stc_rc"
  ) || _stc_rc=$?
  _stc_out=${_stc_out%.}
  case $_stc_out in
    "$_stc_mark"$'\n'*)
      [ "$_stc_rc" -ne 0 ] || eval "${_stc_out#*$'\n'}" || _stc_rc=$?
      ;;
    *) printf '%s' "$_stc_out" ;;
  esac
  return "$_stc_rc"
}

# Prints e.g. (awsops[dev-admin]) coloured by the time left: green, yellow under 10 minutes, red when expired.
# The colour codes are wrapped in \001 and \002, what \[ and \] become, so that it works in
# PS1='$(stc_prompt)\$ ' (text printed by a command substitution in PS1 is not scanned for \[ \]).
function stc_prompt {
  [ -n "${AWS_PROFILE-}" ] || return 0
  local _stc_text=$AWS_PROFILE _stc_now _stc_colour
  [ -z "${AWS_ROLE_ALIAS-}" ] || _stc_text="${_stc_text}[${AWS_ROLE_ALIAS}]"
  case ${AWS_EXPIRATION_S-} in
    '' | *[!0-9]*)
      printf '(%s)' "$_stc_text"
      return 0
      ;;
  esac
  if [ -n "${NO_COLOR+set}" ]; then
    printf '(%s)' "$_stc_text"
    return 0
  fi
  _stc_now=${EPOCHSECONDS-}
  [ -n "$_stc_now" ] || _stc_now=$(date +%s)
  if [ "$((AWS_EXPIRATION_S - _stc_now))" -gt 600 ]; then
    _stc_colour=32
  elif [ "$AWS_EXPIRATION_S" -gt "$_stc_now" ]; then
    _stc_colour=33
  else
    _stc_colour=31
  fi
  printf '(\001\033[%sm\002%s\001\033[39m\002)' "$_stc_colour" "$_stc_text"
}

# Removes the command line holding a key pair from the history, as session-tool.sh does; only when the last
# history entry really holds it (a line starting with a space may not be in the history at all).
function _stc_forget_secret {
  case $- in *i*) ;; *) return 0 ;; esac
  local _stc_last _stc_number
  _stc_last=$(HISTTIMEFORMAT='' builtin history 1 2>/dev/null) || return 0
  case $_stc_last in *"$1"*) ;; *) return 0 ;; esac
  _stc_number=${_stc_last#"${_stc_last%%[! ]*}"}
  _stc_number=${_stc_number%%[!0-9]*}
  [ -z "$_stc_number" ] || builtin history -d "$_stc_number" 2>/dev/null || :
}

# Names with a dash are not valid function names in POSIX mode; there only the other functions exist.
if ! shopt -oq posix; then
  eval 'function aws-assume-role { _stc_aws_assume_role "$@"; }
function assume-role { _stc_coinbase_assume_role "$@"; }'
fi
