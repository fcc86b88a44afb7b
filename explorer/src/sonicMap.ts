// The sonic map as the page keeps it: typed arrays filled from the GetSonicMap stream's packed chunks, with the
// track id → point index lookup that highlights and clicks need.
import type { MusicDna } from "./api";

export interface SonicMapData {
  modelVersion: bigint;
  layout: string;
  genres: string[];
  /** Point i's position on [0, 1]², y up (dequantised from the 16-bit values; the bounds do not matter for drawing). */
  u: Float32Array;
  v: Float32Array;
  genreOf: Uint16Array;
  trackIds: string[];
  indexOf: Map<string, number>;
  /** Points per genre, by genre index. */
  genreCounts: Uint32Array;
  /** Bytes received for the whole map (the messages' payloads as sent). */
  bytes: number;
}

export async function loadSonicMap(client: MusicDna, signal?: AbortSignal): Promise<SonicMapData> {
  let map: SonicMapData | undefined;
  for await (const message of client.getSonicMap({ chunkSize: 16384 }, { signal })) {
    if (message.part.case === "header") {
      const header = message.part.value;
      const n = Number(header.pointCount);
      map = {
        modelVersion: header.modelVersion,
        layout: header.layout,
        genres: header.genres,
        u: new Float32Array(n),
        v: new Float32Array(n),
        genreOf: new Uint16Array(n),
        trackIds: new Array<string>(n),
        indexOf: new Map(),
        genreCounts: new Uint32Array(header.genres.length),
        bytes: 0,
      };
      continue;
    }

    if (message.part.case !== "chunk" || !map) throw new Error("the sonic map stream did not start with its header");
    const chunk = message.part.value;
    const first = Number(chunk.firstPoint);
    const positions = new DataView(chunk.positions.buffer, chunk.positions.byteOffset, chunk.positions.byteLength);
    const genres = new DataView(chunk.genres.buffer, chunk.genres.byteOffset, chunk.genres.byteLength);
    map.bytes += chunk.positions.byteLength + chunk.genres.byteLength;
    for (let i = 0; i < chunk.trackIds.length; i++) {
      const p = first + i;
      const id = chunk.trackIds[i];
      map.bytes += id.length;
      map.trackIds[p] = id;
      map.indexOf.set(id, p);
      map.u[p] = positions.getUint16(i * 4, true) / 65535;
      map.v[p] = positions.getUint16(i * 4 + 2, true) / 65535;
      const genre = genres.getUint16(i * 2, true);
      map.genreOf[p] = genre;
      map.genreCounts[genre]++;
    }
  }

  if (!map) throw new Error("the sonic map stream ended without its header");
  return map;
}

/** One distinct colour per genre: hues by the golden angle, alternating lightness so neighbours in the list differ. */
export function genrePalette(count: number): [number, number, number][] {
  const colours: [number, number, number][] = [];
  for (let i = 0; i < count; i++) {
    const hue = (i * 137.508) % 360;
    const lightness = i % 3 === 0 ? 0.62 : i % 3 === 1 ? 0.52 : 0.72;
    colours.push(hslToRgb(hue, 0.72, lightness));
  }

  return colours;
}

function hslToRgb(hue: number, saturation: number, lightness: number): [number, number, number] {
  const c = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = lightness - c / 2;
  const [r, g, b] =
    hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
