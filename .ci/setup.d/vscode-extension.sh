# The VS Code extension (editors/vscode/) is packaged by a test (test/editors/vscode.test.ts)
# with @vscode/vsce, which the extension folder installs for itself from its own lockfile: it is
# large (about 140 MB), so the project's own dependencies do not carry it. Packaging itself
# needs no network. Idempotent; runs in a subshell so that sourcing it changes nothing.
(
  set -euo pipefail
  cd editors/vscode
  if [ -x node_modules/.bin/vsce ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    echo "vscode-extension: $(node_modules/.bin/vsce --version) already installed"
    exit 0
  fi
  npm ci --no-audit --no-fund --loglevel=error
  echo "vscode-extension: installed @vscode/vsce $(node_modules/.bin/vsce --version)"
)
