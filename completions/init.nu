# stc shell integration for nushell, loaded by a `source` line in config.nu (`stc init nu --install` writes this
# file and adds the line; nushell has no eval, so the code is read from a file when nushell starts).
#
# Defines the stc command (runs stc and applies the environment changes it reports), session-tool.sh's
# get_session, assume_role, get_console_url, rotate_credentials and aws-assume-role, Coinbase's assume-role,
# the prompt helper stc_prompt and completions. Internal names start with _stc_; nothing else is set.

# stc's stdout is applied only when it starts with the line STC_EVAL_MARK, a fresh random word stc writes when, and
# only when, it changes the environment; anything else (a version, help, a URL, JSON, a list) is printed
# untouched. What follows the mark is data, never code: one JSON object a line, each an export, a set, an unset or
# a print, applied with load-env, hide-env and print.
#
# The base session (STC_BASE_SESSION): nushell has no unexported environment variables, but it hands programs
# only the environment values that are strings. The base session is kept as a record, {stc_unexported: TEXT},
# which no child process sees; the stc command hands its text to the one stc process it runs.
# stdin is the command's own (`… | stc import -`, a passphrase typed at the terminal); stderr goes straight to
# the terminal (`e>> /dev/stderr`: `complete` would capture it, and with it stc's prompts).
@complete '_stc_complete'
def --env --wrapped stc [...args: string] {
  # What was piped in (a key for `stc import -`), taken before anything else can consume it.
  let input = $in
  # Commands that run programs: their output and terminal are the program's own, not captured for this shell.
  if ($args.0? | default "") in ["exec" "credential-process" "serve" "agent"] {
    with-env {STC_BASE_SESSION: (_stc_unexported_text STC_BASE_SESSION)} { ^@STC@ ...$args }
    return
  }
  let run = {|mark, base|
    STC_EVAL_SHELL=nu STC_EVAL_MARK=$mark STC_BASE_SESSION=$base ^@STC@ ...$args e>> /dev/stderr | complete | insert mark $mark
  }
  let mark = $"stc-(random chars --length 24)"
  let base = (_stc_unexported_text STC_BASE_SESSION)
  # Piped input goes to stc; without any, stc reads the terminal (passphrase and MFA prompts).
  let result = if $input == null { do $run $mark $base } else { $input | do $run $mark $base }
  let out = $result.stdout
  if ($out | describe) == "string" and ($out | str starts-with $"($result.mark)\n") {
    if $result.exit_code == 0 { _stc_apply ($out | lines | skip 1) }
  } else {
    print --no-newline $out
  }
  _stc_status $result.exit_code
}

# Applies stc's report, one JSON object a line, in order.
def --env _stc_apply [actions: list<string>] {
  for line in $actions {
    let action = ($line | from json --strict)
    match $action.kind {
      "export" => { load-env {($action.name): $action.value} }
      "set" => { load-env {($action.name): {stc_unexported: $action.value}} }
      "unset" => { hide-env --ignore-errors $action.name }
      "print" => {
        if $action.stream == "stderr" {
          print --stderr --no-newline $action.text
        } else {
          print --no-newline $action.text
        }
      }
    }
  }
}

# The text of a variable kept from child processes (a record), or of a plain one; empty when there is none.
def _stc_unexported_text [name: string] {
  let value = ($env | get --optional $name)
  if $value == null { return "" }
  if ($value | describe) starts-with "record" { $value.stc_unexported? | default "" } else { $value | into string }
}

# Ends the command with `status` as a program does: 0 sets $env.LAST_EXIT_CODE, another status is the error of a
# failed external (no message of its own: stc has said what went wrong), which stops a script, sets
# $env.LAST_EXIT_CODE and is caught by try. nushell's own commands cannot fail that way; a nu that exits with the
# status can.
def --env _stc_status [status: int] {
  if $status == 0 {
    $env.LAST_EXIT_CODE = 0
  } else {
    ^$nu.current-exe --no-config-file --no-std-lib --commands $"exit ($status)"
  }
}

# The prompt segment, e.g. (awsops[dev-admin]), coloured by the time left: green, yellow under 10 minutes, red
# when expired. Starts no process. Use it in the prompt, e.g.:
#   $env.PROMPT_COMMAND = {|| $"(stc_prompt)(pwd)" }
def stc_prompt [] {
  let profile = ($env.AWS_PROFILE? | default "" | into string)
  if $profile == "" { return "" }
  let role = ($env.AWS_ROLE_ALIAS? | default "" | into string)
  let text = if $role == "" { _stc_visible $profile } else { $"(_stc_visible $profile)[(_stc_visible $role)]" }
  let expiration = ($env.AWS_EXPIRATION_S? | default "" | into string)
  if ($env.NO_COLOR? != null) or not ($expiration =~ '^[0-9]+$') { return $"\(($text)\)" }
  let left = ($expiration | into int) - ((date now | into int) // 1_000_000_000)
  let colour = if $left > 600 { "green" } else if $left > 0 { "yellow" } else { "red" }
  $"\((ansi $colour)($text)(ansi default)\)"
}

# session-tool.sh's name for it.
def session_tool_prompt [] { stc_prompt }

# `text` as it is, except that control characters, bidi controls and invisible formatting characters are shown as
# \xNN or \u{NNNN}, as in stc's messages: a name cannot start a line, recolour, retitle or reorder the prompt.
def _stc_visible [text: string] {
  let unsafe = '[\x00-\x1f\x7f-\x9f\x{ad}\x{61c}\x{115f}\x{1160}\x{17b4}\x{17b5}\x{180b}-\x{180f}\x{200b}-\x{200f}\x{2028}-\x{202e}\x{2060}-\x{206f}\x{3164}\x{fe00}-\x{fe0f}\x{feff}\x{ffa0}\x{fff0}-\x{fffb}\x{e0000}-\x{e0fff}]'
  if not ($text =~ $unsafe) { return $text }
  $text | split chars --code-points | each {|c|
    if ($c =~ $unsafe) {
      let code = (_stc_code_point $c)
      if $code <= 255 {
        $"\\x($code | format number | get lowerhex | str substring 2.. | fill --alignment right --character '0' --width 2)"
      } else {
        $"\\u{($code | format number | get lowerhex | str substring 2..)}"
      }
    } else {
      $c
    }
  } | str join
}

# The code point of one character, from its UTF-8 bytes.
def _stc_code_point [c: string] {
  let bytes = ($c | encode utf-8)
  let value = ($bytes | into int --endian big)
  let low = ($value bit-and 0x3f)
  match ($bytes | bytes length) {
    1 => $value
    2 => ((($value bit-shr 8) bit-and 0x1f) bit-shl 6 bit-or $low)
    3 => ((($value bit-shr 16) bit-and 0x0f) bit-shl 12 bit-or ((($value bit-shr 8) bit-and 0x3f) bit-shl 6) bit-or $low)
    _ => ((($value bit-shr 24) bit-and 0x07) bit-shl 18 bit-or ((($value bit-shr 16) bit-and 0x3f) bit-shl 12) bit-or ((($value bit-shr 8) bit-and 0x3f) bit-shl 6) bit-or $low)
  }
}

# One `stc: error:` line, as stc itself reports usage errors; the status is 2.
def --env _stc_usage_error [command: string, message: string] {
  print --stderr $"stc: error: ($message)\nhint: see '($command) -h'"
  _stc_status 2
}

# Parses `args` as getopts does with `optstring` (seed.ts's getoptsString: a leading `:`, a `:` after a letter that
# takes a value): clustered letters (-sr), -pVALUE and -p VALUE, `--` ends the options. Returns the letters given
# (with their values) and the remaining arguments, or the error.
def _stc_getopts [optstring: string, args: list<string>] {
  let letters = ($optstring | str substring 1..)
  mut flags = {}
  mut i = 0
  let count = ($args | length)
  while $i < $count {
    let word = ($args | get $i)
    if $word == "--" {
      $i += 1
      break
    }
    if $word == "-" or not ($word starts-with "-") { break }
    let chars = ($word | split chars --code-points | skip 1)
    mut j = 0
    while $j < ($chars | length) {
      let letter = ($chars | get $j)
      let at = if $letter == ":" { -1 } else { $letters | str index-of $letter }
      if $at < 0 { return {error: $"unknown option -($letter)"} }
      if ($letters | str substring ($at + 1)..($at + 1)) == ":" {
        let value = if $j + 1 < ($chars | length) {
          $chars | skip ($j + 1) | str join
        } else {
          $i += 1
          if $i >= $count { return {error: $"option -($letter) needs a value"} }
          $args | get $i
        }
        $flags = ($flags | upsert $letter $value)
        break
      }
      $flags = ($flags | upsert $letter true)
      $j += 1
    }
    $i += 1
  }
  {flags: $flags, rest: ($args | skip $i)}
}

# get_session [-h] [-s] [-r] [-l] [-c] [-d|-u] [-v] [-i <file> -b <bucket>|-e] [-p <profile>] [<MFA token>]
@complete '_stc_complete'
def --env --wrapped get_session [...args: string] {
  let parsed = (_stc_getopts ':hsrlcduvi:b:ep:' $args)
  if ($parsed.error? != null) { return (_stc_usage_error get_session $parsed.error) }
  let o = $parsed.flags
  if ($o.h? != null) { return (stc init --usage get_session) }
  let flags = (['c' 'l' 'r' 's' 'v'] | where {|l| ($o | get --optional $l) != null } | each {|l| $"-($l)" })
  let common = (if ($o.p? != null) { ['-p' $o.p] } else { [] })
  if ($o.i? != null) {
    let options = ($common | append (if ($o.b? != null) { ['-b' $o.b] } else { [] })
      | append (if ($o.d? != null) { ['-d'] } else { [] }))
    if ($o.i | path exists) { return (stc import ...$options -- $o.i) }
    # KEYID,SECRET: handed over on stdin (a nushell string, never a program's argument: it does not show in ps);
    # stc warns that it was typed on a command line.
    return ($"($o.i)\n" | STC_SECRET_ON_COMMAND_LINE=1 stc import ...$options -)
  }
  if ($o.e? != null) { return (stc export ...$common) }
  if ($o.d? != null) and ($o.u? != null) { return (_stc_usage_error get_session '-d and -u exclude each other') }
  if ($o.d? != null) or ($o.u? != null) {
    stc roles (if ($o.d? != null) { '--download' } else { '--upload' }) ...$common
    # Only the roles were asked for: no new session.
    if ($flags | is-empty) and ($parsed.rest | is-empty) { return }
  }
  stc session ...$flags ...$common ...$parsed.rest
}

# assume_role [-h] [-l] <alias>
@complete '_stc_complete'
def --env --wrapped assume_role [...args: string] {
  let parsed = (_stc_getopts ':hl' $args)
  if ($parsed.error? != null) { return (_stc_usage_error assume_role $parsed.error) }
  if ($parsed.flags.h? != null) { return (stc init --usage assume_role) }
  if ($parsed.flags.l? != null) { return (stc roles --names) }
  stc assume ...$parsed.rest
}

# get_console_url [-h] [-l] [-o|-d] [-u <url>] <alias>
@complete '_stc_complete'
def --env --wrapped get_console_url [...args: string] {
  let parsed = (_stc_getopts ':hlodu:' $args)
  if ($parsed.error? != null) { return (_stc_usage_error get_console_url $parsed.error) }
  let o = $parsed.flags
  if ($o.h? != null) { return (stc init --usage get_console_url) }
  if ($o.l? != null) { return (stc roles --names) }
  let flags = (['o' 'd'] | where {|l| ($o | get --optional $l) != null } | each {|l| $"-($l)" }
    | append (if ($o.u? != null) { ['-u' $o.u] } else { [] }))
  stc console ...$flags ...$parsed.rest
}

# rotate_credentials [-h] [-p <profile>] [-y|-n] [-t]
@complete '_stc_complete'
def --env --wrapped rotate_credentials [...args: string] {
  let parsed = (_stc_getopts ':hp:ynt' $args)
  if ($parsed.error? != null) { return (_stc_usage_error rotate_credentials $parsed.error) }
  let o = $parsed.flags
  if ($o.h? != null) { return (stc init --usage rotate_credentials) }
  let profile = (if ($o.p? != null) { ['-p' $o.p] } else { [] })
  let flags = (['y' 'n' 't'] | where {|l| ($o | get --optional $l) != null } | each {|l| $"-($l)" })
  stc rotate ...$profile ...$flags ...$parsed.rest
}

# aws-assume-role PROFILE ALIAS [MFA]: a session, the role, and a console URL for it, as session-tool.sh does.
@complete '_stc_complete'
def --env --wrapped aws-assume-role [...args: string] {
  if ($args | get --optional 0 | default '') in ['-h' '--help'] { return (stc init --usage aws-assume-role) }
  if ($args | length) < 2 or ($args | length) > 3 {
    return (_stc_usage_error aws-assume-role 'expected PROFILE ALIAS [MFA]')
  }
  stc session -p ($args | get 0) ...($args | skip 2)
  stc assume ($args | get 1)
  stc console ($args | get 1)
}

# Coinbase's assume-role [account] [role] [mfa].
@complete '_stc_complete'
def --env --wrapped assume-role [...args: string] {
  if ($args | get --optional 0 | default '') in ['-h' '--help'] { return (stc init --usage assume-role) }
  stc assume ...$args
}
