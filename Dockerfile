# One image for every service; docker-compose.yml picks the entry point per container.
# Node 22 LTS. The build stage has the toolchain (better-sqlite3 is compiled from source, nothing
# downloaded); the runtime stage has the compiled app and production dependencies only.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
# Native modules compile against the headers that come with the image's Node (nothing fetched).
ENV npm_config_build_from_source=true npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Compile, bundle the playground, then drop what only the build needs (TypeScript, esbuild,
# GraphiQL/React sources, test tools): the bundle in playground/dist is all the page needs.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && find node_modules -type d -empty -delete

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
# The code is root's and read-only to the service; the embedded store's directory is the service's.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/playground/dist ./playground/dist
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 4000
# Orchestrators stop with SIGTERM: the process finishes requests in flight (SHUTDOWN_TIMEOUT_MS), then exits.
STOPSIGNAL SIGTERM
CMD ["node", "dist/scripts/start.js"]
