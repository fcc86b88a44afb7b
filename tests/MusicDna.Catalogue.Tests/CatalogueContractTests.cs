using MusicDna.Core.Tracks;

namespace MusicDna.Catalogue.Tests;

/// <summary>
/// What every catalogue backend promises the engine (ITrackCatalogue), run once per backend: the embedded SQLite file
/// and the shared PostgreSQL database (the subclasses below this one).
/// </summary>
public abstract class CatalogueContractTests : IAsyncLifetime
{
    private ITrackCatalogue? _catalogue;

    protected ITrackCatalogue Catalogue => _catalogue ?? throw new InvalidOperationException("not opened");

    /// <summary>Opens the test's catalogue (a fresh, empty one the first time; the same store again after that).</summary>
    protected abstract Task<ITrackCatalogue> OpenAsync();

    public virtual async Task InitializeAsync() => _catalogue = await OpenAsync();

    public virtual Task DisposeAsync()
    {
        _catalogue?.Dispose();
        return Task.CompletedTask;
    }

    protected static Track MakeTrack(string id, string genre = "pop", double tempo = 120, string name = "Song") =>
        new(id, name, ["Artist A", "Artist; B"], "Album", genre, 50, false, 200_000,
            [0.5, 0.6, 5, -7.5, 1, 0.05, 0.2, 0.0, 0.1, 0.7, tempo, 4]);

    [Fact]
    public async Task Upsert_counts_new_ids_as_inserted_and_known_ids_as_updated()
    {
        var first = await Catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b")]);
        var second = await Catalogue.UpsertAsync([MakeTrack("b", genre: "rock"), MakeTrack("c")]);

        Assert.Equal((2, 0), (first.Inserted, first.Updated));
        Assert.Equal((1, 1), (second.Inserted, second.Updated));
        Assert.Equal(first.RowIds[1], second.RowIds[0]);
        Assert.Equal(3, await Catalogue.CountAsync());
        Assert.Equal("rock", (await Catalogue.FindAsync("b"))!.Track.Genre);
    }

    [Fact]
    public async Task The_stamp_keeps_its_instance_across_a_reopen_and_its_revision_grows_with_every_track_write_and_only_then()
    {
        var empty = await Catalogue.ReadStampAsync();
        var upserted = await Catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b")]);
        var afterInsert = await Catalogue.ReadStampAsync();
        await Catalogue.SaveEmbeddingsAsync(1, upserted.RowIds, new float[4], 2);
        await Catalogue.FindAsync("a");
        await Catalogue.CountAsync();
        var afterReads = await Catalogue.ReadStampAsync();
        await Catalogue.UpsertAsync([MakeTrack("a", genre: "rock")]);
        var afterUpdate = await Catalogue.ReadStampAsync();
        await Catalogue.DeleteAsync(["b"], allowMissing: false);
        var afterDelete = await Catalogue.ReadStampAsync();
        _catalogue!.Dispose();
        _catalogue = await OpenAsync();
        var reopened = await Catalogue.ReadStampAsync();

        Assert.False(string.IsNullOrWhiteSpace(empty.Instance));
        Assert.All(new[] { afterInsert, afterReads, afterUpdate, afterDelete, reopened }, s => Assert.Equal(empty.Instance, s.Instance));
        Assert.True(empty.Revision < afterInsert.Revision);
        Assert.Equal(afterInsert, afterReads);
        Assert.True(afterInsert.Revision < afterUpdate.Revision);
        Assert.True(afterUpdate.Revision < afterDelete.Revision);
        Assert.Equal(afterDelete, reopened);
    }

    [Fact]
    public async Task Upsert_of_an_id_repeated_within_one_batch_keeps_the_last_row()
    {
        var outcome = await Catalogue.UpsertAsync([MakeTrack("x", genre: "jazz"), MakeTrack("y"), MakeTrack("x", genre: "blues", tempo: 90)]);

        Assert.Equal((2, 1), (outcome.Inserted, outcome.Updated));
        Assert.Equal(outcome.RowIds[0], outcome.RowIds[2]);
        var stored = (await Catalogue.FindAsync("x"))!.Track;
        Assert.Equal("blues", stored.Genre);
        Assert.Equal(90, stored.Features[10]);
        Assert.Equal(2, await Catalogue.CountAsync());
    }

    [Fact]
    public async Task Upsert_of_a_batch_spanning_several_statements_mixing_stored_new_and_repeated_ids_gets_ids_counts_keys_and_search_right()
    {
        var stored = (await Catalogue.UpsertAsync([.. Enumerable.Range(0, 5).Select(i => Titled($"s{i}", $"Stored {i}", ["Old Band"]))])).RowIds;
        // 24 rows: stored ids, new ids, and ids repeated within the batch, repeats falling in other statements than their first row.
        Track[] batch =
        [
            Titled("s2", "Renamed Stored - 2011 Remaster", ["New Band"]), Titled("n0", "Alpha Song", ["X"]),
            .. Enumerable.Range(1, 9).Select(i => Titled($"n{i}", $"Filler {i}", ["Y"])),
            Titled("s4", "Stored 4", ["Old Band"], popularity: 99), Titled("n0", "Omega Tune", ["X"]), Titled("n3", "Filler 3", ["Y"], popularity: 7),
            .. Enumerable.Range(10, 7).Select(i => Titled($"n{i}", $"Filler {i}", ["Y"])),
            Titled("s2", "Renamed Stored", ["New Band"]), Titled("n10", "Filler 10", ["Y"], popularity: 1), Titled("n16", "Filler 16", ["Y"], popularity: 2),
        ];

        var outcome = await Catalogue.UpsertAsync(batch);

        Assert.Equal((17, 7), (outcome.Inserted, outcome.Updated));
        Assert.Equal(batch.Length, outcome.RowIds.Count);
        var idOf = new Dictionary<string, long>();
        for (var i = 0; i < batch.Length; i++)
        {
            Assert.Equal(idOf.TryGetValue(batch[i].TrackId, out var first) ? first : outcome.RowIds[i], outcome.RowIds[i]);
            idOf[batch[i].TrackId] = outcome.RowIds[i];
            Assert.Equal(SongKey.Of(batch[i]), outcome.SongIds[i]);
        }

        Assert.Equal((stored[2], stored[4]), (idOf["s2"], idOf["s4"]));
        var newIds = Enumerable.Range(0, 17).Select(i => idOf[$"n{i}"]).ToList();
        Assert.True(newIds[0] > stored.Max(), "new tracks are numbered above the stored ones");
        Assert.Equal(newIds.Order(), newIds);
        Assert.Equal(newIds.Count, newIds.Distinct().Count());
        Assert.Equal(22, await Catalogue.CountAsync());

        var s2 = (await Catalogue.FindAsync("s2"))!;
        Assert.Equal(("Renamed Stored", SongKey.Of(batch[^3])), (s2.Track.Name, s2.SongId));
        Assert.Equal(99, (await Catalogue.FindAsync("s4"))!.Track.Popularity);
        Assert.Equal((7, 1, 2), ((await Catalogue.FindAsync("n3"))!.Track.Popularity, (await Catalogue.FindAsync("n10"))!.Track.Popularity,
            (await Catalogue.FindAsync("n16"))!.Track.Popularity));
        Assert.Equal(["s2"], Ids(await Catalogue.SearchAsync(["renamed"], 10)));
        Assert.Equal(["s2"], Ids(await Catalogue.SearchAsync(["new", "band"], 10)));
        Assert.Equal(["s0", "s1", "s3", "s4"], Ids(await Catalogue.SearchAsync(["old", "band"], 10)).Order());
        Assert.Equal(["n0"], Ids(await Catalogue.SearchAsync(["omega"], 10)));
        Assert.Empty(Ids(await Catalogue.SearchAsync(["alpha"], 10)));
        Assert.Equal(["s2"], (await Catalogue.FindSongVersionsAsync(s2.SongId)).Select(e => e.Track.TrackId));
    }

    [Fact]
    public async Task New_tracks_are_numbered_in_the_order_they_first_appear_and_read_back_in_that_order()
    {
        var outcome = await Catalogue.UpsertAsync([MakeTrack("zulu"), MakeTrack("alpha"), MakeTrack("mike"), MakeTrack("zulu", genre: "rock")]);

        Assert.True(outcome.RowIds[0] < outcome.RowIds[1] && outcome.RowIds[1] < outcome.RowIds[2]);
        var all = await Catalogue.ReadAllAsync().ToListAsync();
        Assert.Equal(["zulu", "alpha", "mike"], all.Select(e => e.Track.TrackId));
        Assert.Equal("rock", all[0].Track.Genre);
    }

    [Fact]
    public async Task Stored_track_round_trips_every_field_including_empty_names_and_separators_in_artists()
    {
        var track = MakeTrack("empty", name: "") with { Artists = [], Album = "", Explicit = true, Popularity = 0, DurationMs = 1L << 40 };
        var withSemicolon = MakeTrack("semi") with { Name = "Ünïcødé \"quoted\" {braces}", Artists = ["Artist A", "Artist; B", "a,\"b\""] };
        await Catalogue.UpsertAsync([track, withSemicolon]);

        var back = (await Catalogue.FindAsync("empty"))!.Track;
        Assert.Equal(track.Features, back.Features);
        Assert.Equal(("", "", true, 0, 1L << 40), (back.Name, back.Album, back.Explicit, back.Popularity, back.DurationMs));
        Assert.Empty(back.Artists);
        var semi = (await Catalogue.FindAsync("semi"))!.Track;
        Assert.Equal(["Artist A", "Artist; B", "a,\"b\""], semi.Artists);
        Assert.Equal(withSemicolon.Name, semi.Name);
        var streamed = await Catalogue.ReadAllAsync().ToListAsync();
        Assert.Equal(["Artist A", "Artist; B", "a,\"b\""], streamed.Single(e => e.Track.TrackId == "semi").Track.Artists);
    }

    [Fact]
    public async Task Committed_tracks_and_embeddings_are_there_for_the_next_opener()
    {
        var rowId = (await Catalogue.UpsertAsync([MakeTrack("keep")])).RowIds[0];
        await Catalogue.SaveEmbeddingsAsync(7, [rowId], new float[] { 1, 2, 3 }, 3);
        Catalogue.Dispose();

        _catalogue = await OpenAsync();
        Assert.Equal(1, await Catalogue.CountAsync());
        var stored = await Catalogue.LoadEmbeddingsAsync(7, 3);
        Assert.Equal([rowId], stored.RowIds);
        Assert.Equal([1f, 2f, 3f], stored.Vectors);
    }

    [Fact]
    public async Task Vectors_are_stored_per_model_version_and_older_versions_can_be_dropped()
    {
        var ids = (await Catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b"), MakeTrack("c")])).RowIds;
        await Catalogue.SaveEmbeddingsAsync(1, [ids[0], ids[2]], new float[] { 1, 0, 0, 1 }, 2);
        await Catalogue.SaveEmbeddingsAsync(2, [ids[1]], new float[] { 0.5f, 0.5f }, 2);

        Assert.Equal([ids[0], ids[2]], (await Catalogue.LoadEmbeddingsAsync(1, 2)).RowIds);
        Assert.Equal(2, await Catalogue.DeleteEmbeddingsExceptAsync(2));
        Assert.Equal(0, (await Catalogue.LoadEmbeddingsAsync(1, 2)).Count);
        Assert.Equal([ids[1]], (await Catalogue.LoadEmbeddingsAsync(2, 2)).RowIds);
    }

    [Fact]
    public async Task Upsert_with_vectors_stores_each_tracks_vector_in_the_same_transaction_and_the_last_row_wins()
    {
        var outcome = await Catalogue.UpsertAsync(
            [MakeTrack("a"), MakeTrack("b"), MakeTrack("a", genre: "rock")],
            new VectorBatch(3, new float[] { 1, 1, 2, 2, 3, 3 }, 2));

        var stored = await Catalogue.LoadEmbeddingsAsync(3, 2);
        Assert.Equal(outcome.RowIds.Distinct().Order(), stored.RowIds);
        var a = Array.IndexOf(stored.RowIds, outcome.RowIds[0]);
        Assert.Equal([3f, 3f], stored.Vectors.AsSpan(a * 2, 2).ToArray());
    }

    [Fact]
    public async Task Upsert_with_vectors_refuses_a_batch_whose_vectors_do_not_line_up_with_its_tracks()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b")], new VectorBatch(1, new float[] { 1, 2, 3 }, 2)));
        Assert.Equal(0, await Catalogue.CountAsync());
    }

    [Fact]
    public async Task GetMany_returns_the_known_ids_and_skips_unknown_ones()
    {
        var ids = (await Catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b")])).RowIds;

        var found = await Catalogue.GetManyAsync([ids[1], 999_999]);

        Assert.Single(found);
        Assert.Equal("b", found[ids[1]].TrackId);
    }

    [Fact]
    public async Task Cancelled_upsert_commits_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Catalogue.UpsertAsync([MakeTrack("a")], cts.Token));
        Assert.Equal(0, await Catalogue.CountAsync());
    }

    [Fact]
    public async Task Delete_removes_the_tracks_and_their_vectors_under_every_model()
    {
        var ids = (await Catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b"), MakeTrack("c")], new VectorBatch(1, new float[6], 2))).RowIds;
        await Catalogue.SaveEmbeddingsAsync(2, ids, new float[6], 2);

        var outcome = await Catalogue.DeleteAsync(["a", "c", "a"], allowMissing: false);

        Assert.Equal([ids[0], ids[2]], outcome.RowIds.Order());
        Assert.Empty(outcome.MissingTrackIds);
        Assert.Null(await Catalogue.FindAsync("a"));
        Assert.NotNull(await Catalogue.FindAsync("b"));
        Assert.Equal(1, await Catalogue.CountAsync());
        Assert.Equal([ids[1]], (await Catalogue.LoadEmbeddingsAsync(1, 2)).RowIds);
        Assert.Equal([ids[1]], (await Catalogue.LoadEmbeddingsAsync(2, 2)).RowIds);
    }

    [Fact]
    public async Task Delete_of_an_unknown_id_deletes_nothing_unless_missing_ids_are_allowed()
    {
        await Catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b")]);

        var refused = await Catalogue.DeleteAsync(["a", "nope"], allowMissing: false);
        Assert.Equal(0, refused.Deleted);
        Assert.Equal(["nope"], refused.MissingTrackIds);
        Assert.Equal(2, await Catalogue.CountAsync());

        var allowed = await Catalogue.DeleteAsync(["a", "nope"], allowMissing: true);
        Assert.Equal(1, allowed.Deleted);
        Assert.Equal(["nope"], allowed.MissingTrackIds);
        Assert.Null(await Catalogue.FindAsync("a"));
    }

    [Fact]
    public async Task A_deleted_tracks_row_id_is_never_given_to_another_track_even_when_it_was_the_highest()
    {
        var ids = (await Catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b")])).RowIds;
        await Catalogue.DeleteAsync(["b"], allowMissing: false);
        Catalogue.Dispose();
        _catalogue = await OpenAsync();

        var again = (await Catalogue.UpsertAsync([MakeTrack("c"), MakeTrack("b")])).RowIds;

        Assert.All(again, id => Assert.True(id > ids[1], $"row id {id} reuses one at or below the deleted {ids[1]}"));
        Assert.NotEqual(ids[1], (await Catalogue.FindAsync("b"))!.Id);
    }

    private static Track Titled(string id, string name, string[] artists, int popularity = 50) =>
        new(id, name, artists, "Album", "pop", popularity, false, 200_000, [0.5, 0.6, 5, -7.5, 1, 0.05, 0.2, 0.0, 0.1, 0.7, 120, 4]);

    private static List<string> Ids(TrackSearchResult result) => [.. result.Tracks.Select(t => t.TrackId)];

    [Fact]
    public async Task Upsert_stores_Core_song_keys_and_finds_a_songs_versions_together_in_row_order()
    {
        var outcome = await Catalogue.UpsertAsync([
            Titled("orchestra", "Maybe Christmas - Orchestra Version", ["Yiruma"]),
            Titled("plain", "Maybe Christmas", ["Yiruma"]),
            Titled("other", "River Flows in You", ["Yiruma"]),
        ]);

        var expected = SongKey.Of(Titled("plain", "Maybe Christmas", ["Yiruma"]));
        Assert.Equal(expected, outcome.SongIds[0]);
        Assert.Equal(expected, outcome.SongIds[1]);
        Assert.NotEqual(expected, outcome.SongIds[2]);
        Assert.Equal(expected, (await Catalogue.FindAsync("orchestra"))!.SongId);
        Assert.Equal(["orchestra", "plain"], (await Catalogue.FindSongVersionsAsync(expected)).Select(e => e.Track.TrackId));

        await Catalogue.UpsertAsync([Titled("plain", "Something Else", ["Yiruma"])]);
        Assert.Equal(["orchestra"], (await Catalogue.FindSongVersionsAsync(expected)).Select(e => e.Track.TrackId));
        var all = new List<CatalogueEntry>();
        await foreach (var entry in Catalogue.ReadAllAsync())
        {
            all.Add(entry);
        }

        Assert.All(all, entry => Assert.Equal(SongKey.Of(entry.Track), entry.SongId));
    }

    [Fact]
    public async Task Search_matches_word_prefixes_in_titles_or_artists_for_every_query_word()
    {
        await Catalogue.UpsertAsync([
            Titled("1", "Around the World", ["Daft Punk"]),
            Titled("2", "One More Time", ["Daft Punk"]),
            Titled("3", "Punkrocker", ["Teddybears"]),
            Titled("4", "The World Is Mine", ["David Guetta"]),
        ]);

        Assert.Equal(["1", "2"], Ids(await Catalogue.SearchAsync(["daft", "pun"], 10)).Order());
        Assert.Equal(["1"], Ids(await Catalogue.SearchAsync(["wor", "daft"], 10)));
        Assert.Equal(["3"], Ids(await Catalogue.SearchAsync(["punkr"], 10)));
        Assert.Empty(Ids(await Catalogue.SearchAsync(["unk"], 10)));
    }

    [Fact]
    public async Task Search_ignores_case_and_accents_and_ranks_title_matches_before_artist_matches()
    {
        await Catalogue.UpsertAsync([
            Titled("artist", "Halo", ["Beyoncé"], popularity: 90),
            Titled("title", "Beyonce Tribute", ["Someone"], popularity: 10),
        ]);

        Assert.Equal(["title", "artist"], Ids(await Catalogue.SearchAsync(["beyonce"], 10)));
        Assert.Equal(["artist"], Ids(await Catalogue.SearchAsync(["BEYONCÉ", "halo"], 10)));
    }

    [Fact]
    public async Task Search_follows_upserts_and_deletes_breaks_ties_by_popularity_and_says_when_it_truncated()
    {
        await Catalogue.UpsertAsync([Titled("a", "Blue", ["X"], 10), Titled("b", "Blue", ["X"], 80), Titled("c", "Red", ["X"])]);
        await Catalogue.UpsertAsync([Titled("c", "Blue", ["X"], 40)]);

        var result = await Catalogue.SearchAsync(["blue"], 2);
        Assert.Equal(["b", "c"], Ids(result));
        Assert.True(result.Truncated);
        Assert.False((await Catalogue.SearchAsync(["blue"], 3)).Truncated);
        Assert.Empty(Ids(await Catalogue.SearchAsync(["red"], 10)));

        await Catalogue.DeleteAsync(["b"], allowMissing: false);
        Assert.Equal(["c", "a"], Ids(await Catalogue.SearchAsync(["blue"], 10)));
    }

    [Fact]
    public async Task Map_positions_are_kept_per_model_version_dropped_with_older_versions_and_with_deleted_tracks()
    {
        var rows = (await Catalogue.UpsertAsync([MakeTrack("a"), MakeTrack("b"), MakeTrack("c")])).RowIds;
        await Catalogue.SaveMapPositionsAsync(1, rows, new float[] { 1, 2, 3 }, new float[] { 4, 5, 6 });
        await Catalogue.SaveMapPositionsAsync(2, [rows[1], rows[2]], new float[] { -5, 7 }, new float[] { 6, 8 });
        await Catalogue.SaveMapPositionsAsync(2, [rows[2]], new float[] { 9 }, new float[] { 10 });

        var first = await Catalogue.LoadMapPositionsAsync(1);
        Assert.Equal(rows, first.RowIds);
        Assert.Equal(new float[] { 1, 2, 3 }, first.X);
        Assert.Equal(new float[] { 4, 5, 6 }, first.Y);

        await Catalogue.DeleteAsync(["b"], allowMissing: false);
        var second = await Catalogue.LoadMapPositionsAsync(2);
        Assert.Equal([rows[2]], second.RowIds);
        Assert.Equal(new float[] { 9 }, second.X);
        Assert.Equal(new float[] { 10 }, second.Y);

        Assert.Equal(2, await Catalogue.DeleteMapPositionsExceptAsync(2));
        Assert.Equal(0, (await Catalogue.LoadMapPositionsAsync(1)).Count);
        Assert.Equal(1, (await Catalogue.LoadMapPositionsAsync(2)).Count);
    }
}
