# nushell completion for stc and the session-tool.sh / assume-role commands it provides: the completer of all
# their arguments, options too (`@complete`: nushell would complete a word starting with - only from the
# signature, and their options are parsed by stc). The candidates come from `stc complete words`, which reads the
# words before the cursor and the current word on stdin (stdin, not arguments: a word may be a secret typed in the
# wrong place) and prints a mode line, then candidates (a tab and a description may follow a candidate).
# No `return` in it: nushell drops what a completer named by @complete returns that way.
def _stc_complete [spans: list<string>] {
  # The words as nushell reads them: without their quotes.
  let words = ($spans | each {|span| _stc_words $span | str join " " })
  let answer = ($words | each {|word| $"($word)\n" } | str join | ^@STC@ complete words | complete)
  let lines = (if $answer.exit_code == 0 { $answer.stdout | lines } else { [] })
  let mode = ($lines | get --optional 0 | default values)
  if $mode == "files" {
    _stc_files ($words | last) ""
  } else if $mode starts-with "files:" {
    _stc_files ($words | last) ($mode | str substring 6..)
  } else {
    $lines | skip 1 | each {|line|
      let parts = ($line | split row --number 2 "\t")
      if ($parts | length) > 1 { {value: $parts.0, description: $parts.1} } else { {value: $parts.0} }
    }
  }
}

# The words of a command line, as nushell reads them: blanks separate words, quotes ('…', "…", `…`) group them and
# are removed; a blank at the end starts an empty word.
def _stc_words [line: string] {
  mut words = []
  mut current = ""
  mut quote = ""
  mut started = false
  for c in ($line | split chars --code-points) {
    if $quote != "" {
      if $c == $quote { $quote = "" } else { $current = $current + $c }
    } else if $c in ["'" '"' '`'] {
      $quote = $c
      $started = true
    } else if $c in [" " "\t" "\n" "\r"] {
      if $started { $words = ($words | append $current) }
      $current = ""
      $started = false
    } else {
      $current = $current + $c
      $started = true
    }
  }
  $words | append $current
}

# Directories and files (ending in .EXT when `extension` is not empty) that start with `prefix`.
def _stc_files [prefix: string, extension: string] {
  let dir = if ($prefix | str ends-with "/") { $prefix } else { $prefix | path dirname }
  let shown = if $dir == "" { "" } else if ($dir | str ends-with "/") { $dir } else { $"($dir)/" }
  let listed = (try { ls --all (if $dir == "" { "." } else { $dir }) } catch { [] })
  $listed | each {|entry|
    let name = $"($shown)($entry.name | path basename)"
    if $entry.type == "dir" {
      $"($name)/"
    } else if $extension == "" or ($name | str ends-with $".($extension)") {
      $name
    } else {
      null
    }
  } | compact | where {|name| $name starts-with $prefix } | sort | each {|name| {value: $name} }
}
