"""The client keeps up with the contract: every RPC of musicdna.v1.MusicDnaService has a method on MusicDnaClient.

Reads the service descriptor generated from protos/, so an RPC added to the proto fails here until the client
gains its wrapper and a line in WRAPPERS. No server needed.
"""
import inspect
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from musicdna_client import MusicDnaClient, pb  # noqa: E402

# RPC name -> MusicDnaClient method. Mostly snake_case of the RPC; BulkIngest is `ingest` (it batches for you).
WRAPPERS = {
    "Train": "train",
    "Embed": "embed",
    "Recommend": "recommend",
    "FindGenreBenders": "find_genre_benders",
    "BulkIngest": "ingest",
    "OrderPlaylist": "order_playlist",
    "Bridge": "bridge",
    "SearchTracks": "search_tracks",
    "GetSonicMap": "get_sonic_map",
    "DeleteTracks": "delete_tracks",
}


class ClientCoversTheService(unittest.TestCase):
    def setUp(self):
        self.rpcs = [m.name for m in pb.DESCRIPTOR.services_by_name["MusicDnaService"].methods]

    def test_the_wrapper_table_names_exactly_the_rpcs_of_the_service(self):
        self.assertEqual(sorted(self.rpcs), sorted(WRAPPERS),
                         "an RPC was added to or removed from the proto: wrap it in MusicDnaClient and list it here")

    def test_every_rpc_has_a_documented_method_on_the_client(self):
        for rpc in self.rpcs:
            with self.subTest(rpc=rpc):
                self.assertIn(rpc, WRAPPERS, f"{rpc} has no entry in WRAPPERS")
                method = getattr(MusicDnaClient, WRAPPERS[rpc], None)
                self.assertTrue(inspect.isfunction(method), f"MusicDnaClient has no method {WRAPPERS[rpc]} for {rpc}")
                self.assertTrue(inspect.getdoc(method), f"MusicDnaClient.{WRAPPERS[rpc]} has no docstring")


class RequestArguments(unittest.TestCase):
    """How the wrappers that take a request build it (checked without a call: the channel is never used)."""

    def test_recommend_refuses_a_request_and_keyword_fields_together(self):
        with MusicDnaClient("127.0.0.1:1") as client, self.assertRaises(TypeError):
            client.recommend(pb.RecommendRequest(track_id="a"), k=5)

    def test_find_genre_benders_refuses_a_request_of_another_type(self):
        with MusicDnaClient("127.0.0.1:1") as client, self.assertRaises(TypeError):
            client.find_genre_benders(pb.RecommendRequest(track_id="a"))


if __name__ == "__main__":
    unittest.main()
