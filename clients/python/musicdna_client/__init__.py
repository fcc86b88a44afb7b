"""A thin, typed Python client for MusicDna (musicdna.v1).

The messages and the raw stub are generated from protos/ by generate.sh into _generated/; this module adds
batching for BulkIngest and plain iterators for the two server streams.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Sequence, Union

import grpc

# Generated code imports itself as `musicdna.v1...`: make that package root importable.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "_generated"))
from musicdna.v1 import musicdna_pb2 as pb  # noqa: E402
from musicdna.v1 import musicdna_pb2_grpc as pb_grpc  # noqa: E402

__all__ = ["MusicDnaClient", "RecommendFeed", "pb"]


@dataclass
class RecommendFeed:
    """A whole Recommend stream: the recommendations best first, and the end message."""

    items: list
    end: "pb.RecommendEnd"


class MusicDnaClient:
    """Typed access to every MusicDna RPC over one channel. Use as a context manager to close it."""

    def __init__(self, address: str, channel: Optional[grpc.Channel] = None, api_key: Optional[str] = None) -> None:
        self._channel = channel or grpc.insecure_channel(address)
        # The key travels as a header on every call ('authorization: Bearer <key>').
        self._metadata = (("authorization", f"Bearer {api_key}"),) if api_key else None
        self._stub = pb_grpc.MusicDnaServiceStub(self._channel)

    def __enter__(self) -> "MusicDnaClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._channel.close()

    def ingest(self, tracks: Iterable["pb.Track"], batch_size: int = 500) -> "pb.BulkIngestResponse":
        """Upserts tracks by track_id, streamed in batches; returns the server's summary."""

        def batches() -> Iterator["pb.BulkIngestRequest"]:
            batch: list = []
            for track in tracks:
                batch.append(track)
                if len(batch) == batch_size:
                    yield pb.BulkIngestRequest(tracks=batch)
                    batch = []
            if batch:
                yield pb.BulkIngestRequest(tracks=batch)

        return self._stub.BulkIngest(batches(), metadata=self._metadata)

    def train(self, **options: object) -> Iterator[Union["pb.TrainProgress", "pb.ModelSummary"]]:
        """Trains a new model; yields TrainProgress per epoch, then the published ModelSummary."""
        for message in self._stub.Train(pb.TrainRequest(**options), metadata=self._metadata):
            yield message.progress if message.WhichOneof("event") == "progress" else message.model

    def embed(self, features: Sequence["pb.AudioFeatures"]) -> "pb.EmbedResponse":
        """Latent vectors for raw features (1 to 1,000 tracks), in input order."""
        return self._stub.Embed(pb.EmbedRequest(features=features), metadata=self._metadata)

    def recommend(self, *, track_id: Optional[str] = None, features: Optional["pb.AudioFeatures"] = None,
                  k: int = 10, timeout: Optional[float] = None) -> RecommendFeed:
        """The k catalogue tracks most similar to one seed (a track id or raw features), best first."""
        request = pb.RecommendRequest(track_id=track_id, k=k) if track_id is not None \
            else pb.RecommendRequest(features=features, k=k)
        items, end = [], None
        for message in self._stub.Recommend(request, timeout=timeout, metadata=self._metadata):
            if message.WhichOneof("result") == "recommendation":
                items.append(message.recommendation)
            else:
                end = message.end
        return RecommendFeed(items=items, end=end)
