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
  EmbedResponse,
  FindGenreBendersRequest,
  FindGenreBendersResponse,
  ModelSummary,
  MusicDnaServiceClient,
  OrderPlaylistRequest,
  OrderPlaylistResponse,
  Recommendation,
  RecommendEnd,
  RecommendRequest,
  Track,
  TrainProgress,
  TrainRequest,
} from "./generated/musicdna/v1/musicdna";

export * from "./generated/musicdna/v1/musicdna";

/** One message of a Train stream: progress after an epoch, or the published model (always last). */
export type TrainEvent = { kind: "progress"; progress: TrainProgress } | { kind: "model"; model: ModelSummary };

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
