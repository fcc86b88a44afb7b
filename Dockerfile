# MusicDna server image. Not built on the development machine (no Docker engine there); kept consistent with
# scripts/setup.sh. Build: docker build -t musicdna .   Run: docker run -p 50051:50051 -v musicdna-data:/data musicdna

# --- build: .NET 10 SDK (Ubuntu 24.04), plus what the native FAISS shim needs ---
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake g++ make libfaiss-dev libopenblas-dev liblapack-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Restore in its own layer: it changes only when project files or package versions do.
COPY global.json Directory.Build.props Directory.Packages.props MusicDna.sln ./
COPY build/ build/
COPY Directory.Build.targets ./
COPY src/MusicDna.Core/MusicDna.Core.csproj src/MusicDna.Core/
COPY src/MusicDna.Model/MusicDna.Model.csproj src/MusicDna.Model/
COPY src/MusicDna.Index/MusicDna.Index.csproj src/MusicDna.Index/
COPY src/MusicDna.Catalogue/MusicDna.Catalogue.csproj src/MusicDna.Catalogue/
COPY src/MusicDna.Engine/MusicDna.Engine.csproj src/MusicDna.Engine/
COPY src/MusicDna.Contracts/MusicDna.Contracts.csproj src/MusicDna.Contracts/
COPY src/MusicDna.Server/MusicDna.Server.csproj src/MusicDna.Server/
COPY src/MusicDna.Cli/MusicDna.Cli.csproj src/MusicDna.Cli/
RUN dotnet restore src/MusicDna.Server/MusicDna.Server.csproj && dotnet restore src/MusicDna.Cli/MusicDna.Cli.csproj
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/MusicDna.Server/MusicDna.Server.csproj -c Release --no-restore -o /app \
 && dotnet publish src/MusicDna.Cli/MusicDna.Cli.csproj -c Release --no-restore -o /app/cli

# --- run: ASP.NET 10 runtime (Ubuntu 24.04: its libstdc++ has GLIBCXX_3.4.32, so TorchSharp loads as shipped) ---
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS run
RUN apt-get update \
 && apt-get install -y --no-install-recommends libopenblas0 liblapack3 libgomp1 libgfortran5 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /data && chown app:app /data
USER app
VOLUME ["/data"]
ENV MusicDna__DataDirectory=/data \
    Kestrel__Endpoints__Grpc__Url=http://0.0.0.0:50051
EXPOSE 50051
# Healthy = the gRPC health service reports a model serving (the CLI exits 0 only then).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["dotnet", "/app/cli/musicdna.dll", "health"]
ENTRYPOINT ["dotnet", "MusicDna.Server.dll"]
