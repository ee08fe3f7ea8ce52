#!/usr/bin/env bash
# npm run playground: Microsoft 365 Agents Playground, a local Teams-like client, against a running Bluedesk.
#   BLUEDESK_URL     the bot (default http://localhost:3978)
#   PLAYGROUND_PORT  the Playground's own port (default 56150); open http://localhost:$PLAYGROUND_PORT
#   --as <person id> use the Playground as that person from the force config (e.g. megan.bowen to
#                    approve an account request Alex Wilber made); without it you are Alex Wilber,
#                    the Playground's own default user. An unknown id (or none) lists who you can be.
set -euo pipefail
as=""
asked=""
while [ $# -gt 0 ]; do
  case "$1" in
    --as) asked=1; as="${2:-}"; shift; [ $# -gt 0 ] && shift ;;
    *) echo "unknown option: $1 (use --as <person id>)" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")/../.." && pwd)"
bot="${BLUEDESK_URL:-http://localhost:3978}"
port="${PLAYGROUND_PORT:-56150}"

# The Playground exits on a machine without a desktop unless it finds xdg-open:
# a harmless one goes first on PATH, and the page is opened by hand (or by the browser test).
shim="$(mktemp -d)"
trap 'rm -rf "$shim"' EXIT
printf '#!/bin/sh\necho "Open the Playground at http://localhost:%s"\n' "$port" > "$shim/xdg-open"
chmod +x "$shim/xdg-open"

# Run from the shim folder: only its .m365agentsplayground.yml (if any) applies. With --as, that file
# makes the chosen person the current user and everyone else in the force config the other users.
if [ -n "$asked" ]; then
  (cd "$root" && node --import tsx bot/cli/playground-config.ts --as "$as") > "$shim/.m365agentsplayground.yml"
fi
if ! curl -fsS -m 2 "$bot/healthz" >/dev/null 2>&1; then
  echo "Bluedesk is not answering at $bot/healthz. Start it first with: npm start" >&2
fi
echo "Agents Playground: open http://localhost:$port  (bot: $bot/api/messages)"
echo "You are: ${as:-alex.wilber (Alex Wilber, the default user of the Playground)}"
cd "$shim"
PATH="$shim:$PATH" node "$root/node_modules/@microsoft/m365agentsplayground/cli.js" \
  -e "$bot/api/messages" -c msteams -p "$port" --disable-telemetry
