// The client keeps up with the contract: every RPC of musicdna.v1.MusicDnaService has a method on MusicDnaClient.
// Reads the service definition ts-proto generated from protos/, so an RPC added to the proto fails here until the
// client gains its wrapper and a line in `wrappers`. No server needed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MusicDnaClient, MusicDnaServiceService } from "../src";

// RPC name -> MusicDnaClient method. Mostly camelCase of the RPC; BulkIngest is `ingest` (it batches for you).
const wrappers: Record<string, keyof MusicDnaClient> = {
  Train: "train",
  Embed: "embed",
  Recommend: "recommend",
  FindGenreBenders: "findGenreBenders",
  BulkIngest: "ingest",
  OrderPlaylist: "orderPlaylist",
  Bridge: "bridge",
  SearchTracks: "searchTracks",
  GetSonicMap: "getSonicMap",
  DeleteTracks: "deleteTracks",
};

const prefix = "/musicdna.v1.MusicDnaService/";
const paths = Object.values(MusicDnaServiceService).map((definition) => definition.path);
const rpcs = paths.map((path) => path.slice(prefix.length));

describe("MusicDnaClient covers musicdna.v1.MusicDnaService", () => {
  it("reads the RPCs from the generated service definition", () => {
    assert.ok(rpcs.length > 0);
    assert.ok(paths.every((path) => path.startsWith(prefix)), `unexpected paths: ${paths.join(", ")}`);
  });

  it("names exactly the service's RPCs in the wrapper table", () => {
    assert.deepEqual([...rpcs].sort(), Object.keys(wrappers).sort(),
      "an RPC was added to or removed from the proto: wrap it in MusicDnaClient and list it in `wrappers`");
  });

  it("has a client method for every RPC", () => {
    for (const rpc of rpcs) {
      assert.ok(rpc in wrappers, `${rpc} has no entry in wrappers`);
      assert.equal(typeof MusicDnaClient.prototype[wrappers[rpc]], "function",
        `MusicDnaClient has no method ${wrappers[rpc]} for ${rpc}`);
    }
  });
});
