# syntax=docker/dockerfile:1
# sts-classifier's HTTP service. Build: docker build -t sts-classifier .
# Run:   docker run -p 8080:8080 -e STS_ADMIN_TOKEN=... sts-classifier
# A fleet on PostgreSQL: deploy/compose.yaml, deploy/kubernetes.yaml (docs/deployment.md).

# 1. Build dist/ (npm ci runs the build through the prepare script).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund

# 2. The runtime dependencies only (no TypeScript, Jest or embedded PostgreSQL), with
#    PostgreSQL's client (an optional peer dependency, for STS_STORE=postgres://) made a runtime
#    one at the version of the lock file.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm pkg delete devDependencies.pg \
 && npm pkg set "dependencies.pg=$(node -p "require('./package-lock.json').packages['node_modules/pg'].version")" \
 && npm install --omit=dev --ignore-scripts --no-audit --no-fund

# 3. The image: node, the built server, its dependencies and the default models, run as `node`.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
# The page at / is served from the sources' web folder, as the npm package ships it.
COPY src/web ./src/web
# The models folder is where uploads go without STS_STORE: the server's user must write it.
COPY --chown=node:node models ./models
USER node
EXPOSE 8080
# node, not curl: the slim image has no curl. /healthz answers while the process is alive.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npm start: npm does not pass SIGTERM on, and the server drains on SIGTERM.
CMD ["node", "dist/server/main.js"]
