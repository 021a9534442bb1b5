# zsh completion for stc and the session-tool.sh / assume-role commands it provides. The candidates come
# from `stc complete words`, which reads the words before the cursor and the current word on stdin (stdin, not
# arguments: a word may be a secret typed in the wrong place) and prints a mode line, then candidates
# (a tab and a description may follow a candidate).
# No `emulate -L zsh`: the completion system has set its own options (_comp_options, e.g. NULL_GLOB) for its
# functions, and _files needs them; under emulate it fails with `no matches found: *.csv:globbed-files`.
function _stc_complete_zsh {
  local -a _stc_lines _stc_values _stc_shown
  local _stc_line _stc_mode _stc_value
  _stc_lines=("${(@f)$(printf '%s\n' "${(@)words[1,CURRENT-1]}" "$PREFIX" | stc complete words 2>/dev/null)}")
  _stc_mode=${_stc_lines[1]-}
  case $_stc_mode in
    files) _files ;;
    files:*) _files -g "*.${_stc_mode#files:}" ;;
    *)
      for _stc_line in "${(@)_stc_lines[2,-1]}"; do
        [[ -n $_stc_line ]] || continue
        _stc_value=${_stc_line%%$'\t'*}
        _stc_values+=("$_stc_value")
        if [[ $_stc_line == *$'\t'* ]]; then
          _stc_shown+=("$_stc_value  -- ${_stc_line#*$'\t'}")
        else
          _stc_shown+=("$_stc_value")
        fi
      done
      (( ${#_stc_values} )) && compadd -l -d _stc_shown -- "${_stc_values[@]}"
      ;;
  esac
}

# compdef exists once compinit has run. When it has not run yet (init loaded before compinit in .zshrc, or
# never), the registration waits for the first prompt at which it exists: the hook is added once however
# often the init code is loaded, and removes only itself. emulate, here and in the anonymous function, makes
# this independent of the user's options (with KSH_ARRAYS the filter would see only the first hook).
function _stc_compdef {
  emulate -L zsh
  (( ${+functions[compdef]} )) || return 0
  compdef _stc_complete_zsh stc get_session assume_role get_console_url rotate_credentials \
    aws-assume-role assume-role
  (( ! ${+precmd_functions} )) || precmd_functions=(${precmd_functions:#_stc_compdef})
  unfunction _stc_compdef
}
() {
  emulate -L zsh
  if (( ${+functions[compdef]} )); then
    _stc_compdef
  elif (( ! ${precmd_functions[(I)_stc_compdef]:-0} )); then
    typeset -ga precmd_functions
    precmd_functions+=(_stc_compdef)
  fi
}
