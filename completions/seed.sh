# session-tool.sh's and Coinbase assume-role's commands, mapped onto stc (shared by bash and zsh).

function _stc_usage_error {
  printf 'stc: error: %s\nhint: see '\''%s -h'\''\n' "$2" "$1" >&2
  return 2
}

# get_session [-h] [-s] [-r] [-l] [-c] [-d|-u] [-v] [-i <file> -b <bucket>|-e] [-p <profile>] [<MFA token>]
function get_session {
  [ -z "${ZSH_VERSION-}" ] || emulate -L zsh
  local _stc_opt OPTIND=1 OPTARG='' _stc_import='' _stc_bucket='' _stc_download='' _stc_upload=''
  local _stc_export=''
  local -a _stc_flags _stc_common
  _stc_flags=()
  _stc_common=()
  while getopts ':hsrlcduvi:b:ep:' _stc_opt; do
    case $_stc_opt in
      h)
        stc init --usage get_session
        return
        ;;
      c | l | r | s | v) _stc_flags+=("-$_stc_opt") ;;
      d) _stc_download=1 ;;
      u) _stc_upload=1 ;;
      e) _stc_export=1 ;;
      p) _stc_common=(-p "$OPTARG") ;;
      i) _stc_import=$OPTARG ;;
      b) _stc_bucket=$OPTARG ;;
      :)
        _stc_usage_error get_session "option -$OPTARG needs a value"
        return
        ;;
      *)
        _stc_usage_error get_session "unknown option -$OPTARG"
        return
        ;;
    esac
  done
  shift $((OPTIND - 1))
  if [ -n "$_stc_import" ]; then
    [ -z "$_stc_bucket" ] || _stc_common+=(-b "$_stc_bucket")
    [ -z "$_stc_download" ] || _stc_common+=(-d)
    if [ -e "$_stc_import" ]; then
      stc import "${_stc_common[@]}" -- "$_stc_import"
      return
    fi
    # KEYID,SECRET: handed over on stdin (printf is a builtin: the secret never shows in ps); stc warns that it
    # was typed on a command line.
    [ -z "${BASH_VERSION-}" ] || _stc_forget_secret "$_stc_import"
    STC_SECRET_ON_COMMAND_LINE=1 stc import "${_stc_common[@]}" - < <(printf '%s\n' "$_stc_import")
    return
  fi
  if [ -n "$_stc_export" ]; then
    stc export "${_stc_common[@]}"
    return
  fi
  if [ -n "$_stc_download" ] && [ -n "$_stc_upload" ]; then
    _stc_usage_error get_session "-d and -u exclude each other"
    return
  fi
  if [ -n "$_stc_download" ] || [ -n "$_stc_upload" ]; then
    stc roles "${_stc_download:+--download}${_stc_upload:+--upload}" "${_stc_common[@]}" || return
    # Only the roles were asked for: no new session.
    [ "${#_stc_flags[@]}" -gt 0 ] || [ "$#" -gt 0 ] || return 0
  fi
  stc session "${_stc_flags[@]}" "${_stc_common[@]}" "$@"
}

# assume_role [-h] [-l] <alias>
function assume_role {
  [ -z "${ZSH_VERSION-}" ] || emulate -L zsh
  local _stc_opt OPTIND=1 OPTARG=''
  while getopts ':hl' _stc_opt; do
    case $_stc_opt in
      h)
        stc init --usage assume_role
        return
        ;;
      l)
        stc roles --names
        return
        ;;
      *)
        _stc_usage_error assume_role "unknown option -$OPTARG"
        return
        ;;
    esac
  done
  shift $((OPTIND - 1))
  stc assume "$@"
}

# get_console_url [-h] [-l] [-o|-d] [-u <url>] <alias>
function get_console_url {
  [ -z "${ZSH_VERSION-}" ] || emulate -L zsh
  local _stc_opt OPTIND=1 OPTARG=''
  local -a _stc_flags
  _stc_flags=()
  while getopts ':hlodu:' _stc_opt; do
    case $_stc_opt in
      h)
        stc init --usage get_console_url
        return
        ;;
      l)
        stc roles --names
        return
        ;;
      o | d) _stc_flags+=("-$_stc_opt") ;;
      u) _stc_flags+=(-u "$OPTARG") ;;
      :)
        _stc_usage_error get_console_url "option -$OPTARG needs a value"
        return
        ;;
      *)
        _stc_usage_error get_console_url "unknown option -$OPTARG"
        return
        ;;
    esac
  done
  shift $((OPTIND - 1))
  stc console "${_stc_flags[@]}" "$@"
}

# rotate_credentials [-h] [-p <profile>] [-y|-n] [-t]
function rotate_credentials {
  [ -z "${ZSH_VERSION-}" ] || emulate -L zsh
  local _stc_opt OPTIND=1 OPTARG=''
  local -a _stc_flags
  _stc_flags=()
  while getopts ':hp:ynt' _stc_opt; do
    case $_stc_opt in
      h)
        stc init --usage rotate_credentials
        return
        ;;
      p) _stc_flags+=(-p "$OPTARG") ;;
      y | n | t) _stc_flags+=("-$_stc_opt") ;;
      :)
        _stc_usage_error rotate_credentials "option -$OPTARG needs a value"
        return
        ;;
      *)
        _stc_usage_error rotate_credentials "unknown option -$OPTARG"
        return
        ;;
    esac
  done
  shift $((OPTIND - 1))
  stc rotate "${_stc_flags[@]}" "$@"
}

# aws-assume-role PROFILE ALIAS [MFA]: a session, the role, and a console URL for it, as session-tool.sh does.
function _stc_aws_assume_role {
  case ${1-} in
    -h | --help)
      stc init --usage aws-assume-role
      return
      ;;
  esac
  [ "$#" -ge 2 ] && [ "$#" -le 3 ] || {
    _stc_usage_error aws-assume-role "expected PROFILE ALIAS [MFA]"
    return
  }
  stc session -p "$1" ${3+"$3"} && stc assume "$2" && stc console "$2"
}

# Coinbase's assume-role [account] [role] [mfa].
function _stc_coinbase_assume_role {
  case ${1-} in
    -h | --help)
      stc init --usage assume-role
      return
      ;;
  esac
  stc assume "$@"
}
