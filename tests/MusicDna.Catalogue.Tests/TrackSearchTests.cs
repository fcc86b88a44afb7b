using Microsoft.Data.Sqlite;
using MusicDna.Core.Tracks;

namespace MusicDna.Catalogue.Tests;

/// <summary>The catalogue's word search (schema version 3) and its sonic-map positions, on a real SQLite file.</summary>
public sealed class TrackSearchTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Track MakeTrack(string id, string name, string[] artists, int popularity = 50) =>
        new(id, name, artists, "Album", "pop", popularity, false, 200_000, [0.5, 0.6, 5, -7.5, 1, 0.05, 0.2, 0.0, 0.1, 0.7, 120, 4]);

    [Fact]
    public async Task Every_word_must_start_a_word_of_the_title_or_of_an_artist()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        await catalogue.UpsertAsync([
            MakeTrack("1", "Around the World", ["Daft Punk"]),
            MakeTrack("2", "One More Time", ["Daft Punk"]),
            MakeTrack("3", "Punkrocker", ["Teddybears"]),
            MakeTrack("4", "The World Is Mine", ["David Guetta"]),
        ]);

        Assert.Equal(["1", "2"], Ids(await catalogue.SearchAsync(["daft", "pun"], 10)));
        Assert.Equal(["1"], Ids(await catalogue.SearchAsync(["wor", "daft"], 10)));
        Assert.Equal(["3"], Ids(await catalogue.SearchAsync(["punkr"], 10)));
        Assert.Empty(Ids(await catalogue.SearchAsync(["unk"], 10)));
    }

    [Fact]
    public async Task Accented_artist_names_are_found_without_their_accents_and_title_matches_rank_first()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        await catalogue.UpsertAsync([
            MakeTrack("artist", "Halo", ["Beyoncé"], popularity: 90),
            MakeTrack("title", "Beyonce Tribute", ["Someone"], popularity: 10),
        ]);

        Assert.Equal(["title", "artist"], Ids(await catalogue.SearchAsync(["beyonce"], 10)));
        Assert.Equal(["artist"], Ids(await catalogue.SearchAsync(["BEYONCÉ", "halo"], 10)));
    }

    [Fact]
    public async Task Upserts_and_ties_keep_the_index_in_step_most_popular_first()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        await catalogue.UpsertAsync([MakeTrack("a", "Blue", ["X"], 10), MakeTrack("b", "Blue", ["X"], 80), MakeTrack("c", "Red", ["X"])]);
        await catalogue.UpsertAsync([MakeTrack("c", "Blue", ["X"], 40)]);

        var result = await catalogue.SearchAsync(["blue"], 2);

        Assert.Equal(["b", "c"], Ids(result));
        Assert.True(result.Truncated);
        Assert.Empty(Ids(await catalogue.SearchAsync(["red"], 10)));
    }

    [Fact]
    public async Task Migrating_a_version_2_catalogue_indexes_the_tracks_it_already_holds()
    {
        var path = _dir.File("v2.db");
        using (var catalogue = TrackCatalogue.Open(path))
        {
            await catalogue.UpsertAsync([MakeTrack("old", "Ancient Melody", ["Première Voix"])]);
        }

        // Back to what version 2 had: no search index, no map positions, no deleted-row high-water mark, no stamp.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                "DROP TRIGGER tracks_search_insert; DROP TRIGGER tracks_search_update; DROP TRIGGER tracks_search_delete; " +
                "DROP TABLE track_search; DROP TABLE map_positions; DROP TABLE row_id_high_water; " +
                "DROP TRIGGER tracks_stamp_insert; DROP TRIGGER tracks_stamp_update; DROP TRIGGER tracks_stamp_delete; " +
                "DROP TABLE catalogue_stamp; PRAGMA user_version = 2;";
            command.ExecuteNonQuery();
        }

        using var migrated = TrackCatalogue.Open(path);
        Assert.Equal(["old"], Ids(await migrated.SearchAsync(["premiere", "voix"], 10)));
        Assert.Equal(["old"], Ids(await migrated.SearchAsync(["melo"], 10)));
    }

    [Fact]
    public async Task Map_positions_are_kept_per_model_version_and_dropped_with_older_versions()
    {
        using var catalogue = TrackCatalogue.Open(_dir.File("c.db"));
        var rows = (await catalogue.UpsertAsync([MakeTrack("a", "A", []), MakeTrack("b", "B", [])])).RowIds;
        await catalogue.SaveMapPositionsAsync(1, rows, new float[] { 1, 2 }, new float[] { 3, 4 });
        await catalogue.SaveMapPositionsAsync(2, [rows[1]], new float[] { -5 }, new float[] { 6 });

        var first = await catalogue.LoadMapPositionsAsync(1);
        Assert.Equal(rows, first.RowIds);
        Assert.Equal(new float[] { 1, 2 }, first.X);
        Assert.Equal(new float[] { 3, 4 }, first.Y);
        Assert.Equal(2, await catalogue.DeleteMapPositionsExceptAsync(2));
        Assert.Equal(0, (await catalogue.LoadMapPositionsAsync(1)).Count);
        Assert.Equal(new[] { -5f }, (await catalogue.LoadMapPositionsAsync(2)).X);
    }

    private static List<string> Ids(TrackSearchResult result) => [.. result.Tracks.Select(t => t.TrackId)];
}
