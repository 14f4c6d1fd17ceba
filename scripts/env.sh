# Sourced by the scripts: puts the project's npm-installed tools on PATH.
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$REPO_ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
