#!/usr/bin/env bash
# The README's test command (`npm test`): installs what the tests need on a fresh Debian
# machine (apt packages when missing, npm ci when the lock file changed), then runs lint,
# typecheck, build, unit, shell, integration, e2e and Electron smoke tests, and prints one
# closing line "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
export CI="${CI:-}"

apt_packages=(chromium xvfb sane-utils sane-airscan poppler-utils qpdf softhsm2 opensc python3 make g++ openssl)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "These Debian packages are missing and this is not root: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/sohoa-apt.log 2>&1 \
    || { tail -20 /tmp/sohoa-apt.log >&2; echo "apt-get install failed" >&2; exit 1; }
fi

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.sohoa-lock-hash ] || [ "$(cat node_modules/.sohoa-lock-hash)" != "$lock_hash" ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed" >&2; exit 1; }
  echo "$lock_hash" > node_modules/.sohoa-lock-hash
fi

mkdir -p test-results
rm -f test-results/vitest-*.json
failed_steps=()
step() {
  local name=$1; shift
  echo "== $name"
  local started=$SECONDS
  if "$@"; then echo "== $name: ok ($((SECONDS - started)) s)"; else echo "== $name: FAILED ($((SECONDS - started)) s)"; failed_steps+=("$name"); fi
}
vitest() {
  local project=$1; shift
  npx vitest run --project "$project" "$@" --reporter=default --reporter=json --outputFile="test-results/vitest-$project.json"
}

step lint npx eslint . --max-warnings 0
step format npx prettier --check . --log-level warn
step typecheck node scripts/typecheck.mjs
step build node scripts/build.mjs
step packaging node scripts/package-dir.mjs --skip-build
step unit vitest unit
step shell vitest shell
step integration vitest integration
step e2e vitest e2e
step electron vitest electron

node scripts/test-summary.mjs test-results
summary_status=$?
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed steps: ${failed_steps[*]}"
  exit 1
fi
exit $summary_status
