# Production image: compiled JavaScript on Node 24 LTS, production dependencies only, non-root.
# Build: docker build -t owabi .   Run: see docker-compose.yml and README "Running in production".
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY jobs ./jobs
COPY migrations ./migrations
COPY scripts ./scripts
RUN npm run build

FROM node:24-bookworm-slim AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000 \
    METRICS_HOST=0.0.0.0
WORKDIR /app
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY views ./views
# The data folder is a volume written by the image's user (uploads, letter files, manifests).
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
EXPOSE 3000 9464 9465
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The primary: migrates, then runs WEB_CONCURRENCY web processes (and a worker unless START_WORKER=false).
CMD ["node", "dist/src/app/main.js"]
