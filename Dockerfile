# lowslow images, one multi-stage file:
#   runtime (default): the `lowslow` command (agent, detector, replay), production dependencies
#                      only, running as the unprivileged `node` user.
#   traffic:           the traffic simulator played live (test/sim/live.ts), for the compose demo.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY contracts ./contracts
COPY agent ./agent
COPY detector ./detector
COPY bin ./bin
RUN npx tsc -p tsconfig.build.json

FROM build AS traffic
COPY test/sim ./test/sim
# A new named volume mounted here takes this folder's owner, so the simulator can write to it.
RUN mkdir -p /var/log/lowslow-sim && chown node:node /var/log/lowslow-sim
USER node
ENTRYPOINT ["npx", "--no-install", "tsx", "test/sim/live.ts"]

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY contracts/*.json ./contracts/
COPY agent/inputs/envoy-als/*.proto ./agent/inputs/envoy-als/
COPY samples ./samples
RUN mkdir -p /var/lib/lowslow && chown node:node /var/lib/lowslow
USER node
# Overridden per service in docker-compose.yml (the agent serves /metrics, the detector /healthz).
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD ["node", "-e", "process.exit(0)"]
ENTRYPOINT ["node", "dist/bin/lowslow.js"]
CMD ["--help"]
