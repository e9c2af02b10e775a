# Shirube for a board's server (README, "Production"). Two stages: the build with dev dependencies,
# then a runtime with production dependencies only, Debian's Chromium and Noto CJK (PDF reports in
# Japanese), running as the unprivileged user `node`.
# Node 24 is the current Active LTS line (22 is in maintenance; 20 reached its end of life in April 2026).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
# Unpinned on purpose: the image takes Debian's security updates to Chromium whenever it is rebuilt.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-noto-cjk ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && install -d -o node -g node -m 0700 /var/lib/shirube /var/backups/shirube
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CHROME_PATH=/usr/bin/chromium \
    PUPPETEER_SKIP_DOWNLOAD=1 \
    DUCKDB_PATH=/var/lib/shirube/warehouse.duckdb \
    SHIRUBE_PGLITE_DIR=/var/lib/shirube/pg \
    SHIRUBE_REPORTS_DIR=/var/lib/shirube/reports \
    SHIRUBE_BACKUP_DIR=/var/backups/shirube \
    PSEUDONYM_KEY_FILE=/run/secrets/pseudonym_key
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY migrations/warehouse ./migrations/warehouse
COPY queries ./queries
COPY reports ./reports
COPY survey-templates ./survey-templates
USER node
EXPOSE 3000
VOLUME ["/var/lib/shirube", "/var/backups/shirube"]
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["node", "bin/healthcheck.js"]
ENTRYPOINT ["node", "bin/shirube.js"]
CMD ["serve"]
