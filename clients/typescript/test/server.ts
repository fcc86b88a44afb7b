// Starts the real MusicDna server (the build from scripts/setup.sh) on a free loopback port over a
// temporary data directory, and reads the shipped sample catalogue. Test support only.
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AudioFeatures, Track } from "../src";

const repoRoot = path.resolve(__dirname, "../../../..");
const serverDll = path.join(repoRoot, "src/MusicDna.Server/bin/Release/net10.0/MusicDna.Server.dll");

export interface RunningServer {
  address: string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<RunningServer> {
  const dataDirectory = mkdtempSync(path.join(tmpdir(), "musicdna-ts-"));
  const child: ChildProcess = spawn("dotnet", [
    serverDll,
    `--MusicDna:DataDirectory=${dataDirectory}`,
    "--MusicDna:Bootstrap:CatalogueCsv=",
    "--MusicDna:Bootstrap:TrainWhenNoModel=false",
    "--MusicDna:Auth:Mode=Disabled",
    "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0",
  ], { stdio: ["ignore", "pipe", "inherit"] });

  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start within 60 s")), 60_000);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Now listening on: http:\/\/([\d.]+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
  child.stdout!.resume();

  return {
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => {
          rmSync(dataDirectory, { recursive: true, force: true });
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
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
