# Build stage: compiles TypeScript and the better-sqlite3 native module.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
# The console is built into dist/console after the server (building the server empties dist).
RUN npm run build && npm prune --omit=dev

# Runtime stage: only what the server needs.
FROM node:20-bookworm-slim
ENV NODE_ENV=production LEDGER_HOST=0.0.0.0 PORT=3000 LEDGER_SQLITE_PATH=/data/ledger.sqlite
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/apps/ledger-api/src/main.js"]
