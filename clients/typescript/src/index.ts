// A thin, typed client for MusicDna (musicdna.v1) over @grpc/grpc-js. The messages and the raw stub are
// generated from protos/ by ts-proto (`npm run generate`); this file adds async iteration and batching. Every
// RPC of the service has one method here (test/coverage.test.ts fails when the contract grows an RPC it lacks).
import { ChannelCredentials, credentials, Metadata, ServiceError } from "@grpc/grpc-js";
import {
  AudioFeatures,
  BridgeEnd,
  BridgeRequest,
  BridgeStep,
  BulkIngestResponse,
  DeleteTracksRequest,
  DeleteTracksResponse,
  EmbedResponse,
  FindGenreBendersRequest,
  FindGenreBendersResponse,
  GetSonicMapRequest,
  GetSonicMapResponse,
  ModelSummary,
  MusicDnaServiceClient,
  OrderPlaylistRequest,
  OrderPlaylistResponse,
  Recommendation,
  RecommendEnd,
  RecommendRequest,
  SearchTracksRequest,
  SearchTracksResponse,
  SonicMapHeader,
  Track,
  TrainProgress,
  TrainRequest,
} from "./generated/musicdna/v1/musicdna";

export * from "./generated/musicdna/v1/musicdna";

/** One message of a Train stream: progress after an epoch, or the published model (always last). */
export type TrainEvent = { kind: "progress"; progress: TrainProgress } | { kind: "model"; model: ModelSummary };

/**
 * The whole GetSonicMap stream, unpacked: one entry per track in each array, in the stream's point order. `x` and
 * `y` are positions in the layout's units (dequantised from the chunks' 16-bit values with the header's bounds).
 */
export interface SonicMap {
  header: SonicMapHeader;
  trackIds: string[];
  x: number[];
  y: number[];
  genres: string[];
}

export class MusicDnaClient {
  private readonly stub: MusicDnaServiceClient;
  private readonly metadata = new Metadata();

  /**
   * @param address host:port, e.g. "127.0.0.1:50051"
   * @param apiKey sent as "authorization: Bearer <key>" with every call; omit when the server has authentication off
   */
  constructor(address: string, apiKey?: string, channelCredentials: ChannelCredentials = credentials.createInsecure()) {
    this.stub = new MusicDnaServiceClient(address, channelCredentials);
    if (apiKey) this.metadata.set("authorization", `Bearer ${apiKey}`);
  }

  /** Upserts tracks by track_id, sending them in batches; resolves with the server's summary. */
  ingest(tracks: Iterable<Track>, batchSize = 500): Promise<BulkIngestResponse> {
    return new Promise((resolve, reject) => {
      const call = this.stub.bulkIngest(this.metadata, (error: ServiceError | null, response?: BulkIngestResponse) =>
        error ? reject(error) : resolve(response!),
      );
      let batch: Track[] = [];
      for (const track of tracks) {
        batch.push(track);
        if (batch.length === batchSize) {
          call.write({ tracks: batch });
          batch = [];
        }
      }
      if (batch.length > 0) call.write({ tracks: batch });
      call.end();
    });
  }

  /** Trains a new model; yields progress per epoch, then the published model. */
  async *train(options: Partial<TrainRequest> = {}): AsyncGenerator<TrainEvent> {
    for await (const message of this.stub.train(TrainRequest.fromPartial(options), this.metadata)) {
      if (message.progress) yield { kind: "progress", progress: message.progress };
      if (message.model) yield { kind: "model", model: message.model };
    }
  }

  /** Latent vectors for raw features (1 to 1,000 tracks), in input order. */
  embed(features: AudioFeatures[]): Promise<EmbedResponse> {
    return new Promise((resolve, reject) =>
      this.stub.embed({ features }, this.metadata, (error, response) => (error ? reject(error) : resolve(response))),
    );
  }

  /** Streams recommendations best first; the generator's return value is the feed's end message. */
  async *recommend(request: Partial<RecommendRequest>): AsyncGenerator<Recommendation, RecommendEnd | undefined> {
    let end: RecommendEnd | undefined;
    for await (const message of this.stub.recommend(RecommendRequest.fromPartial(request), this.metadata)) {
      if (message.recommendation) yield message.recommendation;
      if (message.end) end = message.end;
    }
    return end;
  }

  /**
   * Tracks whose latent neighbourhood spans several genres, most genre-mixed (highest entropy) first. `genre` limits
   * the candidates to one genre (neighbours still come from the whole catalogue); `k` (default 10) is how many to
   * return and `neighbours` (default 20) how many nearest tracks' genres each candidate is scored on.
   */
  findGenreBenders(request: Partial<FindGenreBendersRequest> = {}): Promise<FindGenreBendersResponse> {
    return new Promise((resolve, reject) =>
      this.stub.findGenreBenders(FindGenreBendersRequest.fromPartial(request), this.metadata, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  /**
   * Catalogue tracks whose title or artists hold a word starting with each word of `query` (e.g. "daft pun"), best
   * first; `limit` 1 to 100 (default 20). `truncated` says whether more tracks matched than were returned.
   */
  searchTracks(request: Partial<SearchTracksRequest>): Promise<SearchTracksResponse> {
    return new Promise((resolve, reject) =>
      this.stub.searchTracks(SearchTracksRequest.fromPartial(request), this.metadata, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  /**
   * Deletes tracks from the catalogue and the serving index, all or nothing: an id not in the catalogue fails the call
   * with NOT_FOUND unless `allowMissing` is set (then such ids come back in `missingTrackIds`, and re-sending is safe).
   */
  deleteTracks(trackIds: string[], allowMissing = false): Promise<DeleteTracksResponse> {
    return new Promise((resolve, reject) =>
      this.stub.deleteTracks(DeleteTracksRequest.fromPartial({ trackIds, allowMissing }), this.metadata, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  /**
   * The sonic map: a 2-d position and the genre of every catalogue track, unpacked. `chunkSize` (points per streamed
   * chunk, default 16,384) does not change the result.
   */
  async getSonicMap(request: Partial<GetSonicMapRequest> = {}): Promise<SonicMap> {
    let map: SonicMap | undefined;
    // grpc-js types a server stream's messages as any; naming the type lets the compiler check the unpacking.
    const stream: AsyncIterable<GetSonicMapResponse> = this.stub.getSonicMap(GetSonicMapRequest.fromPartial(request), this.metadata);
    for await (const message of stream) {
      if (message.header) {
        map = { header: message.header, trackIds: [], x: [], y: [], genres: [] };
        continue;
      }
      const chunk = message.chunk;
      if (!chunk || !map) throw new Error("the GetSonicMap stream sends its header first");
      const { header } = map;
      const positions = new DataView(chunk.positions.buffer, chunk.positions.byteOffset, chunk.positions.byteLength);
      const genres = new DataView(chunk.genres.buffer, chunk.genres.byteOffset, chunk.genres.byteLength);
      chunk.trackIds.forEach((trackId, i) => {
        map!.trackIds.push(trackId);
        map!.x.push(header.minX + ((header.maxX - header.minX) * positions.getUint16(i * 4, true)) / 65535);
        map!.y.push(header.minY + ((header.maxY - header.minY) * positions.getUint16(i * 4 + 2, true)) / 65535);
        map!.genres.push(header.genres[genres.getUint16(i * 2, true)]);
      });
    }
    if (!map) throw new Error("the GetSonicMap stream ended without its header");
    return map;
  }

  /**
   * Reorders a playlist for flow: the same tracks, with the path length before and after and a lower bound.
   * `trackIds` (2 to 500) is required; `keyCompatible`, `tempoNear`, `energyArc` and `arcWeight` are optional.
   */
  orderPlaylist(request: Partial<OrderPlaylistRequest>): Promise<OrderPlaylistResponse> {
    return new Promise((resolve, reject) =>
      this.stub.orderPlaylist(OrderPlaylistRequest.fromPartial(request), this.metadata, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  /** Streams a bridge's steps in order from A to B; the generator's return value is the end message. */
  async *bridge(request: Partial<BridgeRequest>): AsyncGenerator<BridgeStep, BridgeEnd | undefined> {
    let end: BridgeEnd | undefined;
    for await (const message of this.stub.bridge(BridgeRequest.fromPartial(request), this.metadata)) {
      if (message.step) yield message.step;
      if (message.end) end = message.end;
    }
    return end;
  }

  /** Closes the client's channel. */
  close(): void {
    this.stub.close();
  }
}
