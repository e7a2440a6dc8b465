# One image for every process of the platform; docker-compose picks the entry point per service.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm install --no-audit --no-fund && npx turbo run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER node
# e.g. services/catchments/dist/main.js, gateway/dist/main.js
CMD ["node", "gateway/dist/main.js"]
