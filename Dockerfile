# Bluedesk container image. Build: docker build -t bluedesk .
# Run (see docs/DEPLOYMENT.md): a read-only root file system, data on a volume, not root.
#   docker run -d --name bluedesk --read-only --env-file /etc/bluedesk/bluedesk.env \
#     -v bluedesk-data:/data -v /etc/bluedesk/force.json:/config/force.json:ro \
#     -p 3978:3978 -p 127.0.0.1:9464:9464 bluedesk

# --- build: install everything, compile, then keep only what runs -------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
# restify's unused SPDY module is replaced by a local stand-in (package.json overrides), so it is copied before install.
COPY package.json package-lock.json ./
COPY adapters/http/spdy-unused adapters/http/spdy-unused
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bot bot
COPY cards cards
COPY dialogs dialogs
COPY adapters adapters
COPY data data
COPY manifest manifest
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- run ----------------------------------------------------------------------
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    BOT_CONFIG=/config/force.json \
    PORT=3978 \
    ADMIN_PORT=9464 \
    ADMIN_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/adapters/http/spdy-unused adapters/http/spdy-unused
COPY --from=build /app/dist dist
# The image's files belong to root and are read-only to the service; only /data is written.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# 3978: Teams, Slack (HTTP mode), the intake API, the public list. 9464: metrics and probes: publish it to the monitoring network only.
EXPOSE 3978 9464
# The health check asks the admin port's /readyz: keep ADMIN_PORT on (not "off") in the container.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.ADMIN_PORT || 9464) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node runs as PID 1's child of nothing: signals (SIGTERM on docker stop) go straight to it, and it drains.
# `bluedesk` with no command serves; `docker exec bluedesk node dist/bot/cli/bluedesk.js verify-log` (or export,
# sar, dead-letters …) runs an operations command in the same image, without bot credentials for the offline ones.
ENTRYPOINT ["node", "--enable-source-maps", "dist/bot/cli/bluedesk.js"]
