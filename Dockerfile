# The kernel-rollout worker image (used by docker-compose.yml). It holds what ships and nothing
# else: src/ compiled with tsconfig.build.json (no tests), bin/, the production dependencies.
# `npm run check:image` compiles exactly this file's COPY set on every CI run.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends openssh-client ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
USER node
# Two glibc malloc arenas keep the worker's resident memory near what it uses (src/worker/index.ts).
ENV MALLOC_ARENA_MAX=2
CMD ["node", "bin/kernelctl.js", "worker"]
