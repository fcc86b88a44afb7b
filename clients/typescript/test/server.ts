// Starts the real MusicDna server (the build from scripts/setup.sh) over a temporary data directory, with every
// endpoint on a free loopback port (port 0 for gRPC and for metrics, so it never clashes with `scripts/run.sh` on its
// fixed ports), and reads the shipped sample catalogue. Test support only.
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { AudioFeatures, Track } from "../src";

const repoRoot = path.resolve(__dirname, "../../../..");
const serverDll = path.join(repoRoot, "src/MusicDna.Server/bin/Release/net10.0/MusicDna.Server.dll");
const startTimeoutMs = 60_000;
const stopTimeoutMs = 30_000;

export interface RunningServer {
  /** The gRPC endpoint, host:port. */
  address: string;
  /** The HTTP/1.1 metrics endpoint, host:port. */
  metricsAddress: string;
  /** SIGTERM, a bounded wait for the graceful shutdown, then SIGKILL; removes the data directory. */
  stop(): Promise<void>;
}

/** GET /metrics over HTTP/1.1 at host:port. */
export function getMetrics(address: string): Promise<{ status: number; body: string }> {
  const [host, port] = [address.slice(0, address.lastIndexOf(":")), address.slice(address.lastIndexOf(":") + 1)];
  return new Promise((resolve, reject) => {
    const request = http.get({ host, port: Number(port), path: "/metrics", timeout: 5_000 }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`GET /metrics at ${address} timed out`)));
    request.on("error", reject);
  });
}

async function servesMetrics(address: string): Promise<boolean> {
  try {
    return (await getMetrics(address)).status === 200;
  } catch {
    return false;
  }
}

function stopProcess(child: ChildProcess, dataDirectory: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(killer);
      rmSync(dataDirectory, { recursive: true, force: true });
      resolve();
    };
    const killer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", done);
    child.kill("SIGTERM");
  });
}

/** A started server with authentication off, no bootstrap catalogue and no first training; stopped again if it
 * fails to start. */
export async function startServer(): Promise<RunningServer> {
  const dataDirectory = mkdtempSync(path.join(tmpdir(), "musicdna-ts-"));
  const child: ChildProcess = spawn("dotnet", [
    serverDll,
    `--MusicDna:DataDirectory=${dataDirectory}`,
    "--MusicDna:Bootstrap:CatalogueCsv=",
    "--MusicDna:Bootstrap:TrainWhenNoModel=false",
    "--MusicDna:Auth:Mode=Disabled",
    "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0",
    "--Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:0",
  ], { stdio: ["ignore", "pipe", "inherit"] });

  try {
    // Kestrel prints one "Now listening on" per endpoint, then the host reports it has started.
    const addresses = await new Promise<string[]>((resolve, reject) => {
      let output = "";
      const timer = setTimeout(() => reject(new Error(`server did not start within ${startTimeoutMs} ms:\n${output}`)), startTimeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Application started")) {
          clearTimeout(timer);
          child.stdout!.off("data", onData);
          resolve([...output.matchAll(/Now listening on: http:\/\/([\d.]+:\d+)/g)].map((m) => m[1]));
        }
      };
      child.stdout!.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code} before starting:\n${output}`));
      });
    });
    child.stdout!.resume(); // keep draining the pipe so the server never blocks on it

    // Both endpoints print the same line, so ask each: only the HTTP/1.1 metrics endpoint answers GET /metrics (the
    // gRPC endpoint speaks HTTP/2 only).
    const metrics: string[] = [];
    const others: string[] = [];
    for (const address of addresses) ((await servesMetrics(address)) ? metrics : others).push(address);
    if (metrics.length !== 1 || others.length !== 1) {
      throw new Error(`expected one gRPC and one metrics endpoint, found ${addresses.join(", ")}`);
    }
    return { address: others[0], metricsAddress: metrics[0], stop: () => stopProcess(child, dataDirectory) };
  } catch (error) {
    await stopProcess(child, dataDirectory);
    throw error;
  }
}

/** Splits one CSV line (RFC 4180 quoting; the sample has no line breaks inside fields). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { fields.push(field); field = ""; }
    else field += c;
  }
  fields.push(field);
  return fields;
}

const featureNames = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
  "instrumentalness", "liveness", "valence", "tempo", "time_signature"] as const;

/** The first `count` tracks of the sample catalogue that ships with the server. */
export function sampleTracks(count: number): Track[] {
  const lines = readFileSync(path.join(repoRoot, "src/MusicDna.Server/seed/spotify_tracks_sample.csv"), "utf8").trim().split("\n");
  const header = splitCsvLine(lines[0]);
  const column = (name: string) => header.indexOf(name);
  return lines.slice(1, count + 1).map((line) => {
    const f = splitCsvLine(line);
    const features: AudioFeatures = {};
    for (const name of featureNames) {
      const key = name === "time_signature" ? "timeSignature" : name;
      (features as Record<string, number>)[key] = Number(f[column(name)]);
    }
    return {
      trackId: f[column("track_id")],
      name: f[column("track_name")],
      artists: f[column("artists")].split(";").filter((a) => a.length > 0),
      album: f[column("album_name")],
      genre: f[column("track_genre")],
      popularity: Number(f[column("popularity")]),
      explicit: f[column("explicit")] === "True",
      durationMs: Number(f[column("duration_ms")]),
      features,
    };
  });
}
