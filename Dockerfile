# microcred service image: Node 20, the compiled build, production dependencies only, runs as
# an unprivileged user.

# Build stage: TypeScript → dist/ (needs the dev dependencies; none of them reach the image).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts=false
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-assets.mjs ./scripts/
COPY types ./types
COPY schemas ./schemas
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts=false && npm cache clean --force
COPY bin ./bin
COPY schemas ./schemas
COPY --from=build /app/dist ./dist
# Without DATABASE_URL the embedded store lives here: the one directory the service user may write.
ENV DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# A 64 MB young generation: ~100 KB credentials in flight make the default one scavenge
# (and promote) several times as often; see README "Performance".
CMD ["node", "--max-semi-space-size=32", "dist/src/server.js"]
