# TypeScript 7 (the native compiler) for test/backends/consumers.test.ts, which type-checks the
# generated modules as a user's project would under TypeScript 6 (the project's own) and 7.
# Installed into .cache/typescript7 rather than package.json: both versions' packages name
# their command `tsc`, and npm would link either one as the project's. Sourced by .ci/run from
# the repository root. Idempotent: returns at once when the version is there.
(
  set -euo pipefail
  readonly version=7.0.2
  readonly dir="$PWD/.cache/typescript7"
  if [ -f "$dir/node_modules/typescript/package.json" ] && grep -q "\"version\": \"$version\"" "$dir/node_modules/typescript/package.json"; then
    echo "typescript7: $version already installed"
    exit 0
  fi
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund "typescript@$version" >/dev/null
  echo "typescript7: installed $version into $dir"
)
