"""A thin, typed Python client for MusicDna (musicdna.v1).

The messages and the raw stub are generated from protos/ by generate.sh into _generated/; this module adds
batching for BulkIngest and plain iterators for the two server streams. Every RPC of the service has one method
here (tests/test_client_covers_the_service.py fails when the contract grows an RPC the client lacks).
"""
from __future__ import annotations

import os
import struct
import sys
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

import grpc

# Generated code imports itself as `musicdna.v1...`: make that package root importable.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "_generated"))
from musicdna.v1 import musicdna_pb2 as pb  # noqa: E402
from musicdna.v1 import musicdna_pb2_grpc as pb_grpc  # noqa: E402

__all__ = ["Bridge", "MusicDnaClient", "RecommendFeed", "SonicMap", "pb"]


@dataclass
class RecommendFeed:
    """A whole Recommend stream: the recommendations best first, and the end message."""

    items: list
    end: "pb.RecommendEnd"


@dataclass
class Bridge:
    """A whole Bridge stream: the steps in order from A to B, and the end message."""

    steps: list
    end: "pb.BridgeEnd"


@dataclass
class SonicMap:
    """The whole GetSonicMap stream, unpacked: one entry per track in each list, in the stream's point order.

    ``x`` and ``y`` are the positions in the layout's units (dequantised from the chunks' 16-bit values with the
    header's bounds); ``genres`` are the tracks' genre labels; ``header`` is the stream's SonicMapHeader.
    """

    header: "pb.SonicMapHeader"
    track_ids: list = field(default_factory=list)
    x: list = field(default_factory=list)
    y: list = field(default_factory=list)
    genres: list = field(default_factory=list)


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

    def recommend(self, request: Optional["pb.RecommendRequest"] = None, /, *, timeout: Optional[float] = None,
                  **fields: Any) -> RecommendFeed:
        """A whole Recommend feed: the recommendations best first, and the end message.

        Pass a pb.RecommendRequest, or its fields as keywords: the simple form ``recommend(track_id=..., k=5)`` or
        ``recommend(features=pb.AudioFeatures(...), k=5)``, and any other field the same way, e.g.
        ``seeds=[pb.Seed(track_id=..., negative=True)]``, ``filter=pb.RecommendFilter(max_popularity=30)``,
        ``long_tail=True``, ``diversity=0.3``, ``explain=True``, ``page_token=feed.end.next_page_token``.
        A keyword that is None is left unset; unset fields take the server's defaults (k = 10).
        """
        request = _request(pb.RecommendRequest, request, fields)
        items, end = [], None
        for message in self._stub.Recommend(request, timeout=timeout, metadata=self._metadata):
            if message.WhichOneof("result") == "recommendation":
                items.append(message.recommendation)
            else:
                end = message.end
        return RecommendFeed(items=items, end=end)

    def find_genre_benders(self, request: Optional["pb.FindGenreBendersRequest"] = None, /, *,
                           genre: Optional[str] = None, k: Optional[int] = None, neighbours: Optional[int] = None,
                           timeout: Optional[float] = None) -> "pb.FindGenreBendersResponse":
        """Tracks whose latent neighbourhood spans several genres, most genre-mixed (highest entropy) first.

        Pass a pb.FindGenreBendersRequest, or its fields as keywords: ``genre`` limits the candidates to one genre
        (neighbours still come from the whole catalogue), ``k`` is how many to return (server default 10) and
        ``neighbours`` how many nearest tracks' genres each candidate is scored on (server default 20).
        """
        fields = {"genre": genre, "k": k, "neighbours": neighbours}
        request = _request(pb.FindGenreBendersRequest, request, fields)
        return self._stub.FindGenreBenders(request, timeout=timeout, metadata=self._metadata)

    def search_tracks(self, request: Optional["pb.SearchTracksRequest"] = None, /, *, query: Optional[str] = None,
                      limit: Optional[int] = None, timeout: Optional[float] = None) -> "pb.SearchTracksResponse":
        """Catalogue tracks whose title or artists hold a word starting with each word of ``query``, best first.

        Pass a pb.SearchTracksRequest, or its fields as keywords: ``query`` (e.g. "daft pun") and ``limit`` (1 to
        100, server default 20). ``response.truncated`` says whether more tracks matched than were returned.
        """
        request = _request(pb.SearchTracksRequest, request, {"query": query, "limit": limit})
        return self._stub.SearchTracks(request, timeout=timeout, metadata=self._metadata)

    def get_sonic_map(self, request: Optional["pb.GetSonicMapRequest"] = None, /, *, chunk_size: Optional[int] = None,
                      timeout: Optional[float] = None) -> SonicMap:
        """The sonic map: a 2-d position and the genre of every catalogue track, unpacked into a SonicMap.

        Pass a pb.GetSonicMapRequest, or ``chunk_size`` (points per streamed chunk, server default 16,384); the
        chunking does not change the result.
        """
        request = _request(pb.GetSonicMapRequest, request, {"chunk_size": chunk_size})
        result: Optional[SonicMap] = None
        for message in self._stub.GetSonicMap(request, timeout=timeout, metadata=self._metadata):
            if message.WhichOneof("part") == "header":
                result = SonicMap(header=message.header)
                continue
            assert result is not None, "the stream sends its header first"
            chunk, header = message.chunk, result.header
            count = len(chunk.track_ids)
            quantised = struct.unpack(f"<{2 * count}H", chunk.positions)
            indexes = struct.unpack(f"<{count}H", chunk.genres)
            result.track_ids.extend(chunk.track_ids)
            result.x.extend(header.min_x + (header.max_x - header.min_x) * q / 65535 for q in quantised[0::2])
            result.y.extend(header.min_y + (header.max_y - header.min_y) * q / 65535 for q in quantised[1::2])
            result.genres.extend(header.genres[i] for i in indexes)
        if result is None:
            raise RuntimeError("the GetSonicMap stream ended without its header")
        return result

    def order_playlist(self, request: Optional["pb.OrderPlaylistRequest"] = None, /, *,
                       timeout: Optional[float] = None, **fields: Any) -> "pb.OrderPlaylistResponse":
        """A playlist reordered for flow: the same tracks, path length before and after, and a lower bound.

        Pass a pb.OrderPlaylistRequest, or its fields as keywords: ``track_ids=[...]`` (2 to 500), and optionally
        ``key_compatible=True``, ``tempo_near=True``, ``energy_arc=pb.ENERGY_ARC_RISING``, ``arc_weight=2``.
        """
        request = _request(pb.OrderPlaylistRequest, request, fields)
        return self._stub.OrderPlaylist(request, timeout=timeout, metadata=self._metadata)

    def bridge(self, request: Optional["pb.BridgeRequest"] = None, /, *, timeout: Optional[float] = None,
               **fields: Any) -> Bridge:
        """A bridge from one track to another: real catalogue tracks in order from A to B, and the end message.

        Pass a pb.BridgeRequest, or its fields as keywords: ``from_track_id``, ``to_track_id`` and ``steps``
        (server default 5).
        """
        request = _request(pb.BridgeRequest, request, fields)
        steps, end = [], None
        for message in self._stub.Bridge(request, timeout=timeout, metadata=self._metadata):
            if message.WhichOneof("result") == "step":
                steps.append(message.step)
            else:
                end = message.end
        return Bridge(steps=steps, end=end)

    def delete_tracks(self, track_ids: Sequence[str], *, allow_missing: bool = False,
                      timeout: Optional[float] = None) -> "pb.DeleteTracksResponse":
        """Deletes tracks from the catalogue and the serving index, all or nothing.

        An id not in the catalogue fails the call with NOT_FOUND (nothing deleted) unless ``allow_missing`` is set:
        then such ids come back in ``missing_track_ids``, which makes re-sending a delete safe.
        """
        request = pb.DeleteTracksRequest(track_ids=list(track_ids), allow_missing=allow_missing)
        return self._stub.DeleteTracks(request, timeout=timeout, metadata=self._metadata)


def _request(message_type: type, request: Optional[Any], fields: dict) -> Any:
    """The request as given, or one built from keyword fields (None = unset); never a mix of the two."""
    fields = {name: value for name, value in fields.items() if value is not None}
    if request is None:
        return message_type(**fields)
    if fields:
        raise TypeError(f"pass either a {message_type.__name__} or its fields as keywords, not both")
    if not isinstance(request, message_type):
        raise TypeError(f"expected a {message_type.__name__}, got {type(request).__name__}")
    return request
