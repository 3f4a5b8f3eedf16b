# syntax=docker/dockerfile:1
# bookingd and bookingctl on Debian 12: a build stage with the compilers and
# -dev packages, and a slim runtime stage with only the shared libraries the
# binaries load, running as the unprivileged user bookingd.
#
#   docker build -t bookingd .
#   docker compose up -d             # with PostgreSQL: see compose.yaml
#   docker run --rm bookingd --check-config
#   docker run --rm --entrypoint bookingctl bookingd --help
#
# tests/install/test_container_layout.py builds the same runtime layout
# without Docker: the install tree of the build stage, and ldd of both
# binaries resolving only to the packages of the runtime stage (or to what
# those packages depend on). Keep the two package lists below in step with
# scripts/setup-deps; that test checks it.

# --- build ---------------------------------------------------------------------
FROM debian:12 AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        cmake ninja-build pkg-config g++ \
        libpqxx-dev libpq-dev libcli11-dev libtomlplusplus-dev libspdlog-dev libfmt-dev \
        libsodium-dev nlohmann-json3-dev libboost-dev libpoco-dev \
        libssl-dev libsystemd-dev libhowardhinnant-date-dev libical-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The release preset: optimised, no tests, no sanitizers. The install tree
# goes to /stage with the Debian layout (/usr, /etc); systemd's files and the
# bash completion are of no use in a container.
RUN cmake --preset release \
    && cmake --build --preset release \
    && DESTDIR=/stage cmake --install build/release --prefix /usr --strip \
    && rm -rf /stage/usr/lib/systemd /stage/usr/lib/sysusers.d /stage/usr/lib/tmpfiles.d \
              /stage/usr/share/bash-completion

# --- runtime -------------------------------------------------------------------
FROM debian:12-slim
# runtime-packages: the libraries bookingd and bookingctl load, time zone
# data for business.time_zone, and CA certificates for SMTP over TLS.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates tzdata \
        libpqxx-6.4 libpq5 libsodium23 libical3 libtomlplusplus3 libspdlog1.10 libfmt9 \
        libdate-tz3 libssl3 libsystemd0 libstdc++6 libgcc-s1 libc6 libpcre3 zlib1g \
        libpocofoundation80 libpoconet80 libpoconetssl80 libpococrypto80 libpocojwt80 \
        libpocojson80 libpocoutil80 libpocoxml80 libexpat1 \
    && rm -rf /var/lib/apt/lists/*
# A fixed uid/gid, so that volumes can be prepared for it on the host.
RUN groupadd --system --gid 997 bookingd \
    && useradd --system --uid 997 --gid bookingd --home-dir /var/lib/bookingd \
        --shell /usr/sbin/nologin --comment "bookingd booking engine" bookingd \
    && install -d -o bookingd -g bookingd -m 0750 \
        /var/lib/bookingd /var/lib/bookingd/mail /var/lib/bookingd/exports
COPY --from=build /stage/ /
USER bookingd:bookingd
WORKDIR /var/lib/bookingd
# Listen on every interface of the container; publish the port on the host's
# loopback and put a TLS proxy in front (etc/nginx-bookingd.conf).
ENV BOOKING_LISTEN=0.0.0.0:8080
EXPOSE 8080
VOLUME ["/var/lib/bookingd"]
# SIGTERM: finish the requests in flight (up to 10 s), then exit 0.
STOPSIGNAL SIGTERM
# /readyz without curl: bash's /dev/tcp (bash is part of debian:12-slim).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/sbin/bookingd"]
CMD ["--config", "/etc/bookingd/bookingd.toml"]
