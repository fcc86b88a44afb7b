"""End to end from Python: the real server, the generated client, every RPC (unittest, stdlib only)."""
import csv
import math
import os
import sys
import unittest

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from musicdna_client import MusicDnaClient, pb  # noqa: E402
from musicdna_server import REPO, metrics_text, start_server  # noqa: E402

SAMPLE = os.path.join(REPO, "src", "MusicDna.Server", "seed", "spotify_tracks_sample.csv")
FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo", "time_signature"]


def sample_tracks(count):
    with open(SAMPLE, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:count]
    return [pb.Track(
        track_id=r["track_id"], name=r["track_name"], artists=[a for a in r["artists"].split(";") if a],
        album=r["album_name"], genre=r["track_genre"], popularity=int(r["popularity"]),
        explicit=r["explicit"] == "True", duration_ms=int(r["duration_ms"]),
        features=pb.AudioFeatures(**{name: float(r[name]) for name in FEATURES})) for r in rows]


class EndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Stopped by the class clean-ups even when a test or the rest of this set-up fails.
        cls.server = start_server()
        cls.addClassCleanup(cls.server.stop)
        cls.client = MusicDnaClient(cls.server.address)
        cls.addClassCleanup(cls.client.close)
        cls.tracks = sample_tracks(300)
        cls.summary = cls.client.ingest(cls.tracks, batch_size=64)
        cls.events = list(cls.client.train(epochs=3, seed=3))

    def test_ingest_counts_every_row_as_inserted(self):
        self.assertEqual((300, 300, 0), (self.summary.received, self.summary.inserted, self.summary.rejected))

    def test_train_streams_each_epoch_then_the_published_model(self):
        self.assertEqual([1, 2, 3], [e.epoch for e in self.events[:-1]])
        model = self.events[-1]
        self.assertIsInstance(model, pb.ModelSummary)
        self.assertEqual((1, 300, 6), (model.model_version, model.tracks_indexed, model.latent_size))
        self.assertTrue(0 < model.test_mse < 0.5)

    def test_embed_returns_a_6d_vector_per_track(self):
        response = self.client.embed([t.features for t in self.tracks[:3]])
        self.assertEqual(1, response.model_version)
        self.assertEqual([6, 6, 6], [len(e.values) for e in response.embeddings])
        self.assertTrue(all(math.isfinite(v) for e in response.embeddings for v in e.values))

    def test_recommend_streams_k_tracks_best_first_without_the_seed(self):
        seed = self.tracks[20].track_id
        feed = self.client.recommend(track_id=seed, k=8)
        scores = [r.score for r in feed.items]
        self.assertEqual(8, len(feed.items))
        self.assertEqual(8, feed.end.returned)
        self.assertNotIn(seed, [r.track.track_id for r in feed.items])
        self.assertEqual(sorted(scores, reverse=True), scores)

    def test_delete_tracks_removes_a_track_and_a_missing_id_is_not_found_unless_allowed(self):
        extra = pb.Track()
        extra.CopyFrom(self.tracks[0])
        extra.track_id = "python-delete-me"
        self.client.ingest([extra])
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.delete_tracks([extra.track_id, "no-such-track"])
        self.assertEqual(grpc.StatusCode.NOT_FOUND, caught.exception.code())
        response = self.client.delete_tracks([extra.track_id, "no-such-track"], allow_missing=True)
        self.assertEqual((1, ["no-such-track"]), (response.deleted, list(response.missing_track_ids)))
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.recommend(track_id=extra.track_id)
        self.assertEqual(grpc.StatusCode.NOT_FOUND, caught.exception.code())

    def test_recommend_from_an_unknown_track_is_not_found(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.recommend(track_id="no-such-track")
        self.assertEqual(grpc.StatusCode.NOT_FOUND, caught.exception.code())

    def test_an_out_of_range_feature_is_invalid_argument_naming_the_field(self):
        bad = pb.AudioFeatures()
        bad.CopyFrom(self.tracks[0].features)
        bad.valence = 2.0
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.embed([bad])
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, caught.exception.code())
        self.assertIn("features[0].valence", caught.exception.details())


    def test_recommend_takes_a_whole_request(self):
        genre = self.tracks[0].genre
        request = pb.RecommendRequest(track_id=self.tracks[5].track_id, k=6,
                                      filter=pb.RecommendFilter(include_genres=[genre]))
        feed = self.client.recommend(request)
        self.assertEqual(6, len(feed.items))
        self.assertEqual({genre}, {r.track.genre for r in feed.items})

    def test_recommend_takes_any_request_field_as_a_keyword(self):
        seeds = [pb.Seed(track_id=self.tracks[1].track_id), pb.Seed(track_id=self.tracks[100].track_id)]
        feed = self.client.recommend(seeds=seeds, strategy=pb.SEED_STRATEGY_BEST_SCORE, k=5, explain=True)
        self.assertEqual(5, len(feed.items))
        self.assertTrue(all(len(r.explanation.closest) == 3 for r in feed.items))
        self.assertFalse({s.track_id for s in seeds} & {r.track.track_id for r in feed.items})

    def test_recommend_sends_the_song_radio_and_shelf_options(self):
        seed = self.tracks[20].track_id
        played = [r.track.track_id for r in self.client.recommend(track_id=seed, k=3).items]
        feed = self.client.recommend(track_id=seed, k=3, group_by=pb.GROUP_BY_GENRE, group_size=2, history=played,
                                     min_score=-100.0, song_version=pb.SONG_VERSION_BEST_MATCH)
        self.assertEqual(6, len(feed.items))
        self.assertEqual(3, len({r.group for r in feed.items}))
        self.assertFalse(set(played) & {r.track.track_id for r in feed.items})
        self.assertTrue(all(len(r.song_id) == 32 and r.song_versions >= 1 for r in feed.items))
        self.assertEqual("", feed.end.limited_by)

    def test_a_history_id_with_a_control_character_is_invalid_argument_naming_it(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.recommend(track_id=self.tracks[20].track_id, history=["ok", "bad\nid"])
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, caught.exception.code())
        self.assertIn("history[1]", caught.exception.details())

    def test_recommend_sends_tunable_attributes_steering_and_harmonic_filters(self):
        seed = next(t for t in self.tracks if t.features.key >= 0)
        feed = self.client.recommend(
            track_id=seed.track_id, k=5,
            attributes=pb.TunableAttributes(min_energy=0.3, max_tempo=180.0, target_danceability=0.6),
            target_weight=2.0, steer=pb.FeatureOffsets(energy=0.1),
            filter=pb.RecommendFilter(key_match=pb.KEY_MATCH_COMPATIBLE, tempo_window_percent=50.0,
                                      tempo_half_double=True))
        self.assertTrue(feed.items)
        for row in feed.items:
            self.assertGreaterEqual(row.track.features.energy, 0.3)
            self.assertLessEqual(row.track.features.tempo, 180.0)
            self.assertGreaterEqual(row.track.features.key, 0)
            self.assertLessEqual(row.ranking_score, row.score)

    def test_an_attribute_only_recommend_needs_no_seed(self):
        feed = self.client.recommend(k=4, attributes=pb.TunableAttributes(target_energy=0.9))
        self.assertEqual(4, len(feed.items))

    def test_a_contradictory_limit_is_invalid_argument_naming_the_field(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.recommend(track_id=self.tracks[20].track_id,
                                  attributes=pb.TunableAttributes(min_energy=0.9, max_energy=0.1))
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, caught.exception.code())
        self.assertIn("attributes.max_energy", caught.exception.details())

    def test_order_playlist_keeps_the_set_and_never_lengthens_the_path(self):
        ids = [t.track_id for t in self.tracks[::10][:25]]
        response = self.client.order_playlist(track_ids=ids, key_compatible=True)
        self.assertEqual(sorted(ids), sorted(t.track_id for t in response.tracks))
        self.assertLessEqual(response.cost_after, response.cost_before + 1e-9)
        self.assertLessEqual(response.lower_bound, response.path_length_after + 1e-9)
        plain = self.client.order_playlist(pb.OrderPlaylistRequest(track_ids=ids))
        self.assertLessEqual(plain.path_length_after, plain.path_length_before + 1e-9)

    def test_bridge_streams_distinct_tracks_from_a_to_b(self):
        a, b = self.tracks[0].track_id, self.tracks[250].track_id
        bridge = self.client.bridge(from_track_id=a, to_track_id=b, steps=4)
        ids = [s.track.track_id for s in bridge.steps]
        self.assertEqual([1, 2, 3, 4], [s.position for s in bridge.steps])
        self.assertEqual(4, len(set(ids)))
        self.assertNotIn(a, ids)
        self.assertNotIn(b, ids)
        self.assertEqual(4, bridge.end.returned)
        self.assertGreaterEqual(bridge.end.path_length, bridge.end.direct_angle - 1e-6)

    def test_bridge_to_the_same_track_is_invalid_argument(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.bridge(from_track_id=self.tracks[0].track_id, to_track_id=self.tracks[0].track_id)
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, caught.exception.code())
        self.assertIn("to_track_id", caught.exception.details())

    def test_find_genre_benders_ranks_the_most_genre_mixed_neighbourhoods_first(self):
        response = self.client.find_genre_benders(k=5, neighbours=10)
        self.assertEqual((1, 300), (response.model_version, response.candidates))
        self.assertEqual([1, 2, 3, 4, 5], [b.rank for b in response.benders])
        entropies = [b.entropy for b in response.benders]
        self.assertEqual(sorted(entropies, reverse=True), entropies)
        self.assertGreater(entropies[0], 0)  # 300 tracks of 7 genres: some neighbourhood mixes them
        for bender in response.benders:
            counts = [g.count for g in bender.neighbour_genres]
            self.assertEqual(10, sum(counts))
            self.assertEqual(sorted(counts, reverse=True), counts)
            self.assertAlmostEqual(-sum(c / 10 * math.log2(c / 10) for c in counts), bender.entropy, places=9)

    def test_find_genre_benders_of_one_genre_scores_only_that_genre(self):
        genre = self.tracks[0].genre
        response = self.client.find_genre_benders(pb.FindGenreBendersRequest(genre=genre.upper(), k=3))
        self.assertEqual(sum(t.genre == genre for t in self.tracks), response.candidates)
        self.assertEqual(3, len(response.benders))
        self.assertEqual({genre}, {b.track.genre for b in response.benders})
        self.assertEqual(20, sum(g.count for g in response.benders[0].neighbour_genres))  # the default neighbourhood

    def test_find_genre_benders_with_too_small_a_neighbourhood_is_invalid_argument_naming_the_field(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.find_genre_benders(neighbours=1)
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, caught.exception.code())
        self.assertIn("neighbours", caught.exception.details())

    def test_search_tracks_finds_a_track_by_a_prefix_of_its_title(self):
        track = next(t for t in self.tracks if len(t.name.split()) >= 2 and t.name.split()[0].isalpha())
        prefix = track.name.split()[0][:4]
        response = self.client.search_tracks(query=prefix.lower(), limit=100)
        self.assertIn(track.track_id, [t.track_id for t in response.tracks])
        self.assertTrue(all(prefix.lower() in (t.name + " " + " ".join(t.artists)).lower() for t in response.tracks))

    def test_search_tracks_with_control_characters_is_invalid_argument_naming_the_query(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.search_tracks(query="a\x1b[31m")
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, caught.exception.code())
        self.assertIn("query", caught.exception.details())

    def test_get_sonic_map_places_every_track_within_its_bounds(self):
        sonic_map = self.client.get_sonic_map(chunk_size=64)
        header = sonic_map.header
        self.assertEqual((1, 300), (header.model_version, header.point_count))
        self.assertEqual(sorted(t.track_id for t in self.tracks), sorted(sonic_map.track_ids))
        self.assertEqual({t.track_id: t.genre for t in self.tracks}, dict(zip(sonic_map.track_ids, sonic_map.genres)))
        self.assertTrue(all(header.min_x - 1e-9 <= x <= header.max_x + 1e-9 for x in sonic_map.x))
        self.assertTrue(all(header.min_y - 1e-9 <= y <= header.max_y + 1e-9 for y in sonic_map.y))
        self.assertLess(header.min_x, header.max_x)

    def test_metrics_are_served_on_a_free_port_of_their_own(self):
        self.assertNotEqual("9464", self.server.metrics_address.rsplit(":", 1)[1])
        status, body = metrics_text(self.server.metrics_address)
        self.assertEqual(200, status)
        self.assertIn("musicdna_ingest_rows_total", body)


if __name__ == "__main__":
    unittest.main()
