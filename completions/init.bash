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
  # Commands that run programs: their output and terminal are the program's own, not captured for this shell.
  case ${1-} in
    exec | credential-process | serve | agent)
      STC_BASE_SESSION="${STC_BASE_SESSION-}" command @STC@ "$@"
      return
      ;;
  esac
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
  local _stc_text='' _stc_now _stc_colour
  _stc_visible "$AWS_PROFILE"
  if [ -n "${AWS_ROLE_ALIAS-}" ]; then
    _stc_text+='['
    _stc_visible "$AWS_ROLE_ALIAS"
    _stc_text+=']'
  fi
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

# session-tool.sh's name for it.
function session_tool_prompt { stc_prompt "$@"; }

# Appends $1 to the caller's _stc_text as it is, except that control characters, bidi controls and invisible
# formatting characters are shown as \xNN or \u{NNNN}, as in stc's messages: a name cannot start a line,
# recolour, retitle or reorder the prompt. Code points are known in a UTF-8 locale; in others, only the ASCII
# controls are. No command substitution: a prompt should not fork.
function _stc_visible {
  local _stc_in=$1 _stc_i _stc_c _stc_code _stc_utf8=false
  case $_stc_in in
    *[!abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@:+/=,%\ -]*) ;;
    *)
      _stc_text+=$_stc_in
      return 0
      ;;
  esac
  printf -v _stc_code '%d' "'"$'\xc3\xa9'
  [ "$_stc_code" != 233 ] || _stc_utf8=true
  for ((_stc_i = 0; _stc_i < ${#_stc_in}; _stc_i++)); do
    _stc_c=${_stc_in:_stc_i:1}
    printf -v _stc_code '%d' "'$_stc_c"
    if ((_stc_code < 0x20 || _stc_code == 0x7f)) || {
      [ "$_stc_utf8" = true ] && ((
        (_stc_code >= 0x80 && _stc_code <= 0x9f) || _stc_code == 0xad || _stc_code == 0x61c ||
        _stc_code == 0x115f || _stc_code == 0x1160 || _stc_code == 0x17b4 || _stc_code == 0x17b5 ||
        (_stc_code >= 0x180b && _stc_code <= 0x180f) || (_stc_code >= 0x200b && _stc_code <= 0x200f) ||
        (_stc_code >= 0x2028 && _stc_code <= 0x202e) || (_stc_code >= 0x2060 && _stc_code <= 0x206f) ||
        _stc_code == 0x3164 || (_stc_code >= 0xfe00 && _stc_code <= 0xfe0f) || _stc_code == 0xfeff ||
        _stc_code == 0xffa0 || (_stc_code >= 0xfff0 && _stc_code <= 0xfffb) ||
        (_stc_code >= 0xe0000 && _stc_code <= 0xe0fff)))
    }; then
      if ((_stc_code <= 0xff)); then
        printf -v _stc_c '\\x%02x' "$_stc_code"
      else
        printf -v _stc_c '\\u{%x}' "$_stc_code"
      fi
    fi
    _stc_text+=$_stc_c
  done
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

# Auto-renew (stc init bash --auto-renew): before each prompt, an assumed role with fewer than 5 minutes left
# (by this computer's clock) is assumed again from the MFA session, quietly, by `stc assume --renew`. The check
# starts no process when nothing is due. A failed renewal is shown once for those credentials, then retried
# quietly after 1, 2, 4, 8 and at most every 15 minutes; stc's network deadlines bound each attempt.
function _stc_auto_renew {
  local _stc_status=$? _stc_now
  case ${AWS_EXPIRATION_S-} in '' | *[!0-9]*) return "$_stc_status" ;; esac
  [ -n "${AWS_ROLE_ALIAS-}" ] || return "$_stc_status"
  _stc_now=${EPOCHSECONDS-}
  [ -n "$_stc_now" ] || printf -v _stc_now '%(%s)T' -1 2>/dev/null || _stc_now=$(date +%s)
  ((AWS_EXPIRATION_S - _stc_now < 300)) && _stc_renew "$_stc_now"
  return "$_stc_status"
}

# Renews the role ($1: now) from an MFA session of the profile it came from (AWS_PROFILE: the shell's session
# or the agent's). A failure is remembered for these credentials: _stc_renew_for (their expiry),
# _stc_renew_next (no attempt before) and _stc_renew_wait (the pause, doubled at each failure).
function _stc_renew {
  local _stc_rc=0 _stc_first=false
  if [ "${_stc_renew_for-}" != "$AWS_EXPIRATION_S" ]; then
    _stc_first=true _stc_renew_wait=30
    stc assume --renew ${AWS_PROFILE:+"--profile=$AWS_PROFILE"} </dev/null || _stc_rc=$?
  elif (($1 >= ${_stc_renew_next-0})); then
    stc assume --renew ${AWS_PROFILE:+"--profile=$AWS_PROFILE"} </dev/null 2>/dev/null || _stc_rc=$?
  else
    return 0
  fi
  # Credentials due as soon as they are renewed would be renewed at every prompt.
  if ((_stc_rc == 0 && AWS_EXPIRATION_S - $1 < 300)); then
    [ "$_stc_first" = false ] ||
      printf '%s\n' "stc: warning: renewed credentials expire within 5 minutes by this computer's clock; is it right?" >&2
    _stc_rc=1
  fi
  if ((_stc_rc == 0)); then
    unset _stc_renew_for _stc_renew_next _stc_renew_wait
    return 0
  fi
  _stc_renew_for=$AWS_EXPIRATION_S
  ((_stc_renew_wait = _stc_renew_wait < 450 ? _stc_renew_wait * 2 : 900))
  ((_stc_renew_next = $1 + _stc_renew_wait))
}

# Runs _stc_auto_renew first in PROMPT_COMMAND (a string, or an array in bash 5.1 and later), keeping the
# user's commands, which then see the renewed credentials and the status of the last command.
function _stc_auto_renew_enable {
  case ${PROMPT_COMMAND[*]-} in *_stc_auto_renew*) return 0 ;; esac
  if [[ $(declare -p PROMPT_COMMAND 2>/dev/null) == 'declare -a'* ]]; then
    PROMPT_COMMAND=(_stc_auto_renew "${PROMPT_COMMAND[@]}")
  else
    PROMPT_COMMAND="_stc_auto_renew${PROMPT_COMMAND:+$'\n'$PROMPT_COMMAND}"
  fi
}
