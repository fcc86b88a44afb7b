// End to end from TypeScript: the real server, the generated client, every RPC.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { status } from "@grpc/grpc-js";
import {
  BridgeEnd, BridgeStep, EnergyArc, GroupBy, KeyMatch, MusicDnaClient, Recommendation, RecommendEnd, RecommendFilter, TrainEvent,
} from "../src";
import { getMetrics, RunningServer, sampleTracks, startServer } from "./server";

describe("MusicDna TypeScript client against the real server", () => {
  let server: RunningServer | undefined;
  let client: MusicDnaClient;
  const tracks = sampleTracks(400);
  const events: TrainEvent[] = [];

  before(async () => {
    server = await startServer();
    client = new MusicDnaClient(server.address);
  });

  // Runs even when a test or `before` fails (a server that fails to start is stopped by startServer itself).
  after(async () => {
    client?.close();
    await server?.stop();
  });

  it("ingests tracks and reports every one as inserted", async () => {
    const summary = await client.ingest(tracks, 100);
    assert.equal(summary.received, 400);
    assert.equal(summary.inserted, 400);
    assert.equal(summary.rejected, 0);
  });

  it("trains with live progress and ends with the published model", async () => {
    for await (const event of client.train({ epochs: 3, seed: 5 })) events.push(event);
    assert.deepEqual(events.slice(0, -1).map((e) => e.kind === "progress" && e.progress.epoch), [1, 2, 3]);
    const last = events[events.length - 1];
    assert.equal(last.kind, "model");
    assert.equal(last.kind === "model" && last.model.modelVersion, 1);
    assert.equal(last.kind === "model" && last.model.tracksIndexed, 400);
  });

  it("embeds raw features into 6-d vectors", async () => {
    const response = await client.embed([tracks[0].features!, tracks[1].features!]);
    assert.equal(response.modelVersion, 1);
    assert.equal(response.embeddings.length, 2);
    assert.equal(response.embeddings[0].values.length, 6);
  });

  it("streams k recommendations best first without the seed, then the end message", async () => {
    const feed = client.recommend({ trackId: tracks[10].trackId, k: 7 });
    const items: Recommendation[] = [];
    let next = await feed.next();
    while (!next.done) {
      items.push(next.value);
      next = await feed.next();
    }
    const end = next.value as RecommendEnd;
    assert.equal(items.length, 7);
    assert.equal(end.returned, 7);
    assert.ok(items.every((r) => r.track!.trackId !== tracks[10].trackId));
    assert.ok(items.every((r, i) => i === 0 || items[i - 1].score >= r.score));
  });

  it("sends the song, radio and shelf options and reads the rows' songs and shelves", async () => {
    const played: string[] = [];
    for await (const r of client.recommend({ trackId: tracks[10].trackId, k: 3 })) played.push(r.track!.trackId);
    const feed = client.recommend({
      trackId: tracks[10].trackId, k: 3, groupBy: GroupBy.GROUP_BY_GENRE, groupSize: 2, history: played, minScore: -100,
    });
    const items: Recommendation[] = [];
    let next = await feed.next();
    while (!next.done) {
      items.push(next.value);
      next = await feed.next();
    }
    const end = next.value as RecommendEnd;
    assert.equal(items.length, 6);
    assert.equal(new Set(items.map((r) => r.group)).size, 3);
    assert.ok(items.every((r) => !played.includes(r.track!.trackId) && r.songId.length === 32));
    assert.equal(end.limitedBy, "");
    assert.ok(end.candidatesPassed >= 6);
  });

  it("sends tunable attributes, steering and a harmonic filter, and every row keeps the limits", async () => {
    const seed = tracks.find((t) => t.features!.key! >= 0)!;
    const items: Recommendation[] = [];
    for await (const r of client.recommend({
      trackId: seed.trackId, k: 5,
      attributes: { minEnergy: 0.3, maxTempo: 180, targetDanceability: 0.6 },
      targetWeight: 2,
      steer: { energy: 0.1 },
      filter: RecommendFilter.fromPartial({ keyMatch: KeyMatch.KEY_MATCH_COMPATIBLE, tempoWindowPercent: 50, tempoHalfDouble: true }),
    })) items.push(r);
    assert.ok(items.length > 0);
    assert.ok(items.every((r) => r.track!.features!.energy! >= 0.3 && r.track!.features!.tempo! <= 180));
    assert.ok(items.every((r) => r.rankingScore <= r.score));
  });

  it("runs an attribute-only search without a seed", async () => {
    const items: Recommendation[] = [];
    for await (const r of client.recommend({ k: 4, attributes: { targetEnergy: 0.9 } })) items.push(r);
    assert.equal(items.length, 4);
  });

  it("surfaces min above max as INVALID_ARGUMENT naming the field", async () => {
    await assert.rejects(
      async () => {
        for await (const _ of client.recommend({ trackId: tracks[10].trackId, attributes: { minEnergy: 0.9, maxEnergy: 0.1 } })) {
          // drain
        }
      },
      (error: { code: number; details: string }) => error.code === status.INVALID_ARGUMENT && error.details.includes("attributes.max_energy"),
    );
  });

  it("orders a playlist without lengthening it and keeps the same tracks", async () => {
    const ids = tracks.filter((_, i) => i % 10 === 0).slice(0, 30).map((t) => t.trackId);
    const response = await client.orderPlaylist({ trackIds: ids, energyArc: EnergyArc.ENERGY_ARC_PEAK });
    assert.deepEqual(response.tracks.map((t) => t.trackId).sort(), [...ids].sort());
    assert.ok(response.costAfter <= response.costBefore + 1e-9);
    const plain = await client.orderPlaylist({ trackIds: ids });
    assert.ok(plain.pathLengthAfter <= plain.pathLengthBefore + 1e-9);
    assert.ok(plain.lowerBound <= plain.pathLengthAfter + 1e-9);
  });

  it("streams a bridge of distinct tracks from A to B, then its end", async () => {
    const [a, b] = [tracks[0].trackId, tracks[300].trackId];
    const bridge = client.bridge({ fromTrackId: a, toTrackId: b, steps: 4 });
    const steps: BridgeStep[] = [];
    let next = await bridge.next();
    while (!next.done) {
      steps.push(next.value);
      next = await bridge.next();
    }
    const end = next.value as BridgeEnd;
    assert.deepEqual(steps.map((s) => s.position), [1, 2, 3, 4]);
    const ids = steps.map((s) => s.track!.trackId);
    assert.equal(new Set(ids).size, 4);
    assert.ok(!ids.includes(a) && !ids.includes(b));
    assert.equal(end.returned, 4);
  });

  it("finds genre benders, most genre-mixed neighbourhood first", async () => {
    const response = await client.findGenreBenders({ k: 5, neighbours: 10 });
    assert.equal(response.modelVersion, 1);
    assert.equal(response.candidates, 400);
    assert.deepEqual(response.benders.map((b) => b.rank), [1, 2, 3, 4, 5]);
    const entropies = response.benders.map((b) => b.entropy);
    assert.deepEqual([...entropies].sort((a, b) => b - a), entropies);
    assert.ok(entropies[0] > 0, "400 tracks of 10 genres: some neighbourhood mixes them");
    for (const bender of response.benders) {
      const counts = bender.neighbourGenres.map((g) => g.count);
      assert.equal(counts.reduce((a, b) => a + b, 0), 10);
      const entropy = -counts.reduce((sum, c) => sum + (c / 10) * Math.log2(c / 10), 0);
      assert.ok(Math.abs(entropy - bender.entropy) < 1e-9, `entropy ${bender.entropy}, from the counts ${entropy}`);
    }
  });

  it("finds genre benders among one genre's tracks only", async () => {
    const genre = tracks[0].genre;
    const response = await client.findGenreBenders({ genre: genre.toUpperCase(), k: 3 });
    assert.equal(response.candidates, tracks.filter((t) => t.genre === genre).length);
    assert.equal(response.benders.length, 3);
    assert.ok(response.benders.every((b) => b.track!.genre === genre));
    assert.equal(response.benders[0].neighbourGenres.reduce((a, g) => a + g.count, 0), 20); // the default neighbourhood
  });

  it("surfaces too small a genre-bender neighbourhood as INVALID_ARGUMENT naming the field", async () => {
    await assert.rejects(client.findGenreBenders({ neighbours: 1 }), (error: { code: number; details: string }) => {
      assert.equal(error.code, status.INVALID_ARGUMENT);
      assert.match(error.details, /neighbours/);
      return true;
    });
  });

  it("searches tracks by a prefix of a title word", async () => {
    const track = tracks.find((t) => /^[A-Za-z]{4,}$/.test(t.name.split(" ")[0] ?? ""))!;
    const prefix = track.name.split(" ")[0].slice(0, 4).toLowerCase();
    const response = await client.searchTracks({ query: prefix, limit: 100 });
    assert.ok(response.tracks.some((t) => t.trackId === track.trackId), `${track.trackId} not found by "${prefix}"`);
    assert.ok(response.tracks.every((t) => `${t.name} ${t.artists.join(" ")}`.toLowerCase().includes(prefix)));
  });

  it("surfaces a search query without letters or digits as INVALID_ARGUMENT naming the query", async () => {
    await assert.rejects(client.searchTracks({ query: " -- " }), (error: { code: number; details: string }) => {
      assert.equal(error.code, status.INVALID_ARGUMENT);
      assert.match(error.details, /query/);
      return true;
    });
  });

  it("unpacks the sonic map: every track once, with its genre, inside the bounds", async () => {
    const map = await client.getSonicMap({ chunkSize: 50 });
    assert.equal(map.header.pointCount, 400);
    assert.deepEqual([...map.trackIds].sort(), tracks.map((t) => t.trackId).sort());
    const genreOf = new Map(tracks.map((t) => [t.trackId, t.genre]));
    assert.ok(map.trackIds.every((id, i) => genreOf.get(id) === map.genres[i]));
    assert.ok(map.x.every((x) => x >= map.header.minX - 1e-9 && x <= map.header.maxX + 1e-9));
    assert.ok(map.y.every((y) => y >= map.header.minY - 1e-9 && y <= map.header.maxY + 1e-9));
  });

  it("deletes a track: NOT_FOUND for a missing id unless allowed, then gone as a seed", async () => {
    const extra = { ...tracks[0], trackId: "typescript-delete-me" };
    await client.ingest([extra]);
    await assert.rejects(client.deleteTracks([extra.trackId, "no-such-track"]), (e: { code: number }) => e.code === status.NOT_FOUND);
    const response = await client.deleteTracks([extra.trackId, "no-such-track"], true);
    assert.equal(response.deleted, 1);
    assert.deepEqual(response.missingTrackIds, ["no-such-track"]);
    const feed = client.recommend({ trackId: extra.trackId, k: 1 });
    await assert.rejects(feed.next(), (e: { code: number }) => e.code === status.NOT_FOUND);
  });

  it("serves metrics on a free port of its own", async () => {
    assert.notEqual(server!.metricsAddress.split(":").pop(), "9464");
    const { status: code, body } = await getMetrics(server!.metricsAddress);
    assert.equal(code, 200);
    assert.match(body, /musicdna_ingest_rows_total/);
  });

  it("surfaces a bad feature as INVALID_ARGUMENT", async () => {
    await assert.rejects(client.embed([{ ...tracks[0].features!, tempo: Number.NaN }]), (error: { code: number; details: string }) => {
      assert.equal(error.code, status.INVALID_ARGUMENT);
      assert.match(error.details, /features\[0\]\.tempo/);
      return true;
    });
  });
});
