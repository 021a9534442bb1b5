# stc shell integration for zsh, loaded by: eval "$(stc init zsh)"
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
  emulate -L zsh
  local _stc_out _stc_rc=0 _stc_mark="stc-$RANDOM$RANDOM$RANDOM$RANDOM$RANDOM"
  # Commands that run programs: their output and terminal are the program's own, not captured for this shell.
  case ${1-} in
    exec | credential-process | serve | agent)
      STC_BASE_SESSION="${STC_BASE_SESSION-}" command @STC@ "$@"
      return
      ;;
  esac
  _stc_out=$(
    STC_EVAL_SHELL=zsh STC_EVAL_MARK=$_stc_mark STC_BASE_SESSION="${STC_BASE_SESSION-}" command @STC@ "$@"
    _stc_rc=$?
    print -n .
    exit $_stc_rc
  ) || _stc_rc=$?
  _stc_out=${_stc_out%.}
  if [[ $_stc_out == "$_stc_mark"$'\n'* ]]; then
    (( _stc_rc != 0 )) || eval "${_stc_out#*$'\n'}" || _stc_rc=$?
  else
    print -rn -- "$_stc_out"
  fi
  return _stc_rc
}

# Prints e.g. (awsops[dev-admin]) coloured by the time left: green, yellow under 10 minutes, red when expired.
# Use it with: setopt PROMPT_SUBST; PROMPT='$(stc_prompt)'$PROMPT
# The output goes through prompt expansion: a % (with PROMPT_PERCENT) and a ! (with PROMPT_BANG) in a name are
# doubled, so that the prompt shows them as they are; the options are the caller's, read before emulate.
function stc_prompt {
  local _stc_percent=${options[promptpercent]} _stc_bang=${options[promptbang]}
  emulate -L zsh
  [[ -n ${AWS_PROFILE-} ]] || return 0
  local _stc_text='' _stc_now _stc_colour
  _stc_visible $AWS_PROFILE
  if [[ -n ${AWS_ROLE_ALIAS-} ]]; then
    _stc_text+='['
    _stc_visible $AWS_ROLE_ALIAS
    _stc_text+=']'
  fi
  [[ $_stc_percent != on ]] || _stc_text=${_stc_text//\%/%%}
  [[ $_stc_bang != on ]] || _stc_text=${_stc_text//\!/!!}
  if [[ ${AWS_EXPIRATION_S-} != <-> || -n ${NO_COLOR+set} || $_stc_percent != on ]]; then
    print -rn -- "($_stc_text)"
    return 0
  fi
  (( ${+EPOCHSECONDS} )) || zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null
  if (( ${+EPOCHSECONDS} )); then
    _stc_now=$EPOCHSECONDS
  else
    _stc_now=$(date +%s)
  fi
  if (( AWS_EXPIRATION_S - _stc_now > 600 )); then
    _stc_colour=green
  elif (( AWS_EXPIRATION_S > _stc_now )); then
    _stc_colour=yellow
  else
    _stc_colour=red
  fi
  print -rn -- "(%F{$_stc_colour}$_stc_text%f)"
}

# session-tool.sh's name for it.
function session_tool_prompt { stc_prompt "$@"; }

# Appends $1 to the caller's _stc_text as it is, except that control characters, bidi controls and invisible
# formatting characters are shown as \xNN or \u{NNNN}, as in stc's messages: a name cannot start a line,
# recolour, retitle or reorder the prompt. Code points are known in a UTF-8 locale; in others, only the ASCII
# controls are.
function _stc_visible {
  emulate -L zsh
  local _stc_in=$1 _stc_c _stc_utf8=false
  local -i _stc_code
  if [[ $_stc_in != *[^abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@:+/=,%\ !-]* ]]; then
    _stc_text+=$_stc_in
    return 0
  fi
  _stc_c=$'\xc3\xa9'
  (( ${#_stc_c} != 1 )) || _stc_utf8=true
  for _stc_c in ${(s::)_stc_in}; do
    _stc_code=$(( #_stc_c ))
    if (( _stc_code < 0x20 || _stc_code == 0x7f )) || {
      [[ $_stc_utf8 == true ]] && ((
        (_stc_code >= 0x80 && _stc_code <= 0x9f) || _stc_code == 0xad || _stc_code == 0x61c ||
        _stc_code == 0x115f || _stc_code == 0x1160 || _stc_code == 0x17b4 || _stc_code == 0x17b5 ||
        (_stc_code >= 0x180b && _stc_code <= 0x180f) || (_stc_code >= 0x200b && _stc_code <= 0x200f) ||
        (_stc_code >= 0x2028 && _stc_code <= 0x202e) || (_stc_code >= 0x2060 && _stc_code <= 0x206f) ||
        _stc_code == 0x3164 || (_stc_code >= 0xfe00 && _stc_code <= 0xfe0f) || _stc_code == 0xfeff ||
        _stc_code == 0xffa0 || (_stc_code >= 0xfff0 && _stc_code <= 0xfffb) ||
        (_stc_code >= 0xe0000 && _stc_code <= 0xe0fff) ))
    }; then
      if (( _stc_code <= 0xff )); then
        printf -v _stc_c '\\x%02x' $_stc_code
      else
        printf -v _stc_c '\\u{%x}' $_stc_code
      fi
    fi
    _stc_text+=$_stc_c
  done
}

function aws-assume-role { _stc_aws_assume_role "$@"; }
function assume-role { _stc_coinbase_assume_role "$@"; }

# Auto-renew (stc init zsh --auto-renew): before each prompt, an assumed role with fewer than 5 minutes left
# (by this computer's clock) is assumed again from the MFA session, quietly, by `stc assume --renew`. The check
# starts no process when nothing is due. A failed renewal is shown once for those credentials, then retried
# quietly after 1, 2, 4, 8 and at most every 15 minutes; stc's network deadlines bound each attempt.
function _stc_auto_renew {
  local _stc_status=$?
  emulate -L zsh
  [[ ${AWS_EXPIRATION_S-} == <-> && -n ${AWS_ROLE_ALIAS-} ]] || return _stc_status
  (( ${+EPOCHSECONDS} )) || zmodload -F zsh/datetime p:EPOCHSECONDS 2>/dev/null
  local _stc_now=${EPOCHSECONDS-}
  [[ -n $_stc_now ]] || _stc_now=$(date +%s)
  (( AWS_EXPIRATION_S - _stc_now >= 300 )) || _stc_renew $_stc_now
  return _stc_status
}

# Renews the role ($1: now) from an MFA session of the profile it came from (AWS_PROFILE: the shell's session
# or the agent's). A failure is remembered for these credentials: _stc_renew_for (their expiry),
# _stc_renew_next (no attempt before) and _stc_renew_wait (the pause, doubled at each failure).
function _stc_renew {
  emulate -L zsh
  local _stc_rc=0 _stc_first=false
  if [[ ${_stc_renew_for-} != $AWS_EXPIRATION_S ]]; then
    _stc_first=true
    typeset -gi _stc_renew_wait=30
    stc assume --renew ${AWS_PROFILE:+--profile=$AWS_PROFILE} </dev/null || _stc_rc=$?
  elif (( $1 >= ${_stc_renew_next-0} )); then
    stc assume --renew ${AWS_PROFILE:+--profile=$AWS_PROFILE} </dev/null 2>/dev/null || _stc_rc=$?
  else
    return 0
  fi
  # Credentials due as soon as they are renewed would be renewed at every prompt.
  if (( _stc_rc == 0 && AWS_EXPIRATION_S - $1 < 300 )); then
    [[ $_stc_first == false ]] ||
      print -ru2 -- "stc: warning: renewed credentials expire within 5 minutes by this computer's clock; is it right?"
    _stc_rc=1
  fi
  if (( _stc_rc == 0 )); then
    unset _stc_renew_for _stc_renew_next _stc_renew_wait
    return 0
  fi
  typeset -g _stc_renew_for=$AWS_EXPIRATION_S
  (( _stc_renew_wait = _stc_renew_wait < 450 ? _stc_renew_wait * 2 : 900 ))
  typeset -gi _stc_renew_next=$(( $1 + _stc_renew_wait ))
}

# Runs _stc_auto_renew first among the precmd hooks, so that the others see the renewed credentials.
function _stc_auto_renew_enable {
  emulate -L zsh
  (( ${precmd_functions[(Ie)_stc_auto_renew]} )) || precmd_functions=(_stc_auto_renew $precmd_functions)
}
