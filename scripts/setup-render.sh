#!/usr/bin/env bash
# Installs what the diagram render tests (cli/tests/graph_render.rs) and
# scripts/render-images.sh need: Graphviz (`dot`), Chromium, and the Mermaid
# CLI (`mmdc`, from the npm registry, into target/render/), told to use
# Debian's Chromium instead of downloading a browser of its own.
#
# Idempotent: what is there already is left as it is. Run as root (apt-get).
set -euo pipefail

cd "$(dirname "$0")/.."

want=()
command -v dot >/dev/null 2>&1 || want+=(graphviz)
command -v chromium >/dev/null 2>&1 || want+=(chromium)
command -v npm >/dev/null 2>&1 || want+=(npm)
# A font with wide coverage, so that screenshots show text, not boxes.
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || want+=(fonts-dejavu-core)
if [ "${#want[@]}" -gt 0 ]; then
    echo "setup-render: installing ${want[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${want[@]}" >/dev/null
fi

render=target/render
mkdir -p "$render"
if [ ! -x "$render/node_modules/.bin/mmdc" ]; then
    echo "setup-render: installing the Mermaid CLI into $render" >&2
    [ -f "$render/package.json" ] || echo '{"private": true}' > "$render/package.json"
    (cd "$render" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error @mermaid-js/mermaid-cli@11)
fi
# Puppeteer (inside the Mermaid CLI) starts Debian's Chromium, without a
# sandbox (CI runs as root).
cat > "$render/puppeteer.json" <<'JSON'
{
  "executablePath": "/usr/bin/chromium",
  "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
}
JSON
echo "setup-render: dot, chromium and $render/node_modules/.bin/mmdc are ready" >&2
