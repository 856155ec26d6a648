#!/usr/bin/env bash
# Writes the pictures of the bundled example that README.md and
# docs/guide.md show, with the command itself (nothing is drawn by hand):
#
#   docs/images/shop.svg       nomenclator graph examples/shop.toml --dialect postgresql --format svg
#   docs/images/shop.mmd       ... --format mermaid (the guide's Mermaid block is this text)
#   docs/images/shop-diff.svg  nomenclator diff examples/shop.toml tests/fixtures/diagram/shop_v2.toml
#                                --dialect postgresql --format svg
#   docs/images/shop-graphviz.svg  ... --format dot, drawn by Graphviz's dot (when installed)
#
#   scripts/render-images.sh [path/to/nomenclator]
#
# cli/tests/cli_graph.rs checks that the first three are what the command
# prints today.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
    cargo build -q -p nomenclator-cli
    bin=target/debug/nomenclator
fi
mkdir -p docs/images
"$bin" graph examples/shop.toml --dialect postgresql --format svg > docs/images/shop.svg
"$bin" graph examples/shop.toml --dialect postgresql --format mermaid > docs/images/shop.mmd
"$bin" diff examples/shop.toml tests/fixtures/diagram/shop_v2.toml --dialect postgresql \
    --format svg > docs/images/shop-diff.svg
if command -v dot >/dev/null 2>&1; then
    "$bin" graph examples/shop.toml --dialect postgresql --format dot | dot -Tsvg > docs/images/shop-graphviz.svg
else
    echo "render-images: no Graphviz (scripts/setup-render.sh installs it): shop-graphviz.svg left as it is" >&2
fi
echo "render-images: wrote docs/images/" >&2
