# authconform as a container: the mock (a stateful auth backend for other projects' tests
# and for CI pipelines), configured through AUTHCONFORM_* variables (see README) or extra
# `authconform mock` flags given as the container's command; and `verify`, which checks a
# service against the contract without a Node toolchain on the machine.
#
#   docker build -t authconform-mock .
#   docker run --rm -p 4010:4010 authconform-mock
#   docker run --rm --network host -v "$PWD/reports:/reports" authconform-mock \
#     verify --target http://127.0.0.1:8080 --admin-key key_… --admin-secret sk_…
#
# NODE_IMAGE picks the base; machines that reach no image registry pass a local one
# (containers/build-node-base.sh).
ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies, in a stage of their own so that source changes reuse it. They
# come from the registry, unless the build context brings them ready as prebuilt-deps.tar
# (the glob copies it when it exists and nothing when it does not): machines that reach no
# registry from inside a build use such a context, made by containers/image-context.ts.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json prebuilt-deps.ta[r] ./
RUN if [ -f prebuilt-deps.tar ]; then \
      tar -xf prebuilt-deps.tar && rm prebuilt-deps.tar; \
    else \
      npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force; \
    fi

FROM ${NODE_IMAGE} AS sources
WORKDIR /app
COPY . .
RUN rm -f prebuilt-deps.tar

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production \
    AUTHCONFORM_HOST=0.0.0.0 \
    AUTHCONFORM_PORT=4010 \
    AUTHCONFORM_REPORT_DIR=/reports
COPY --from=deps /app/node_modules ./node_modules
COPY --from=sources /app ./
# Where `verify` writes its reports: mount a folder here. The container runs as `node`
# (uid 1000), which must be able to write to the mounted folder (README "Verify without
# Node"). Made with node itself: a minimal base image may have no mkdir or chown.
RUN ["node", "-e", "const fs = require('node:fs'); fs.mkdirSync('/reports', { recursive: true }); fs.chownSync('/reports', 1000, 1000)"]

USER node
# tsx compiles the TypeScript on first use and caches it under /tmp: do it once here for
# both commands, so that every container starts from the cache.
RUN node containers/image-entrypoint.js --help >/dev/null && node containers/image-entrypoint.js verify --help >/dev/null
EXPOSE 4010
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.AUTHCONFORM_PORT}/.well-known/auth-configuration`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "containers/image-entrypoint.js"]
