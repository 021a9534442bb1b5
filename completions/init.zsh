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
function stc_prompt {
  emulate -L zsh
  [[ -n ${AWS_PROFILE-} ]] || return 0
  local _stc_text=$AWS_PROFILE _stc_now _stc_colour
  [[ -z ${AWS_ROLE_ALIAS-} ]] || _stc_text="${_stc_text}[${AWS_ROLE_ALIAS}]"
  # The output goes through prompt expansion: a % in a name must stay a %.
  _stc_text=${_stc_text//\%/%%}
  if [[ ${AWS_EXPIRATION_S-} != <-> || -n ${NO_COLOR+set} ]]; then
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

function aws-assume-role { _stc_aws_assume_role "$@"; }
function assume-role { _stc_coinbase_assume_role "$@"; }
