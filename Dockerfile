# The operator image: one `deno compile` binary on distroless, running as 65532 with no shell.
#
# Building needs network access: `deno install` fetches the npm packages pinned in deno.lock, and
# `deno compile` downloads Deno's runtime (denort) from dl.deno.land.
#
#   docker build -t ghcr.io/peppy-ratio/oci-lb-registrar:0.1.0 .

FROM denoland/deno:2.9.6 AS build
ENV DENO_NO_UPDATE_CHECK=1
WORKDIR /src
# Dependencies first: a source change reuses this layer.
COPY deno.json deno.lock ./
RUN deno install --frozen
COPY main.ts ./
COPY src/ src/
COPY crds/ crds/
COPY deploy/ deploy/
# The permissions and V8 flags of `deno task compile`, fixed into the binary (a capped young
# generation keeps RSS steady, see README "Performance"). deploy/ and crds/ are embedded because
# `lb-registrar manifests` renders them.
RUN mkdir -p /out && deno compile --frozen \
      --allow-net --allow-read --allow-env --allow-sys=homedir,osRelease,hostname \
      --v8-flags=--max-semi-space-size=8 \
      --include deploy --include crds \
      --output /out/lb-registrar main.ts

# glibc and libgcc for the Deno runtime; no shell, no package manager.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/lb-registrar /lb-registrar
USER 65532:65532
ENTRYPOINT ["/lb-registrar"]
