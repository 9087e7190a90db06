# One image definition for every Shop service and the payment-provider simulator; docker compose passes the build
# arguments of each. Build context: the repository root. By hand:
#   docker build --build-arg SERVICE_DIR=Orders --build-arg SERVICE=Shop.Orders --build-arg PORT=8080 -t shop-orders .
ARG SERVICE_DIR
ARG SERVICE
ARG PORT=8080

# Only the files restore reads (project files and the central props), so the restore layer below stays cached until a
# project file or a package version changes, whichever sources change.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY . .
RUN find . -type f ! -name '*.csproj' ! -name 'Directory.Build.props' ! -name 'Directory.Packages.props' -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SERVICE_DIR
ARG SERVICE
RUN test -n "$SERVICE_DIR" && test -n "$SERVICE" \
    || { echo 'build arguments SERVICE_DIR and SERVICE are required (e.g. Orders, Shop.Orders)' >&2; exit 1; }
WORKDIR /src
COPY --from=projects /src .
RUN dotnet restore "$SERVICE_DIR/$SERVICE.csproj"
COPY . .
RUN dotnet publish "$SERVICE_DIR/$SERVICE.csproj" -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG SERVICE
ARG PORT
# curl is for the compose health check (GET /health/ready): the runtime image has no HTTP client of its own.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# DOTNET_TC_CallCountingDelayMs: tier-1 call counting at once, not after 100 ms without new tier-0 code; eight busy
# processes on a few cores otherwise run unoptimised code for minutes (docs/performance.md). Environment only: the
# runtime reads no runtimeconfig property for it.
ENV SHOP_SERVICE=$SERVICE \
    ASPNETCORE_HTTP_PORTS=$PORT \
    DOTNET_TC_CallCountingDelayMs=0
EXPOSE $PORT
# The non-root user the .NET images provide.
USER $APP_UID
# exec: dotnet replaces the shell as PID 1, so it receives docker's SIGTERM and shuts down gracefully.
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$SHOP_SERVICE.dll\""]
