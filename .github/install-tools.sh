#!/usr/bin/env bash
# Installs the shells and tools the tests drive for real, on a GitHub runner (Linux: apt; macOS: Homebrew), and
# puts them on PATH for the following steps. The same list as .ci/run's.
set -euo pipefail
if [ "$(uname)" = Darwin ]; then
  brew install fish tmux age nushell awscli util-linux socat tinyproxy
  # util-linux is keg-only: its `script` (the pseudo-terminal the tests use) must come before BSD's.
  echo "$(brew --prefix util-linux)/bin" >>"$GITHUB_PATH"
else
  sudo apt-get update -qq
  sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    bash zsh fish dash tmux openssl age jq perl util-linux socat tinyproxy
  # Ubuntu's runners ship AWS CLI v2 already; nushell comes from the npm registry.
  npm install -g nushell
  echo "$(npm prefix -g)/bin" >>"$GITHUB_PATH"
fi
