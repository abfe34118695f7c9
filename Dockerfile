# microcred service image: Node 20, production dependencies only, runs as an unprivileged user.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts=false && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
COPY schemas ./schemas
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# A 64 MB young generation: ~100 KB credentials in flight make the default one scavenge
# (and promote) several times as often; see README "Performance".
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "src/server.ts"]
