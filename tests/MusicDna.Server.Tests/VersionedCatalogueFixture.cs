using MusicDna.Contracts.V1;

namespace MusicDna.Server.Tests;

/// <summary>
/// A real server over a slice of the sample catalogue plus hand-made versions, trained once: the seed track gets a
/// remaster and a live version (its features, so they are its nearest tracks), a song of "The Fixture Band" near the
/// seed comes in three versions of different popularity, and the same band has five more songs near the seed, so a
/// plain feed repeats that artist.
/// </summary>
public sealed class VersionedCatalogueFixture : IAsyncLifetime, IDisposable
{
    public const string Collection = "versioned catalogue";
    public const string Band = "The Fixture Band";

    private readonly TempDirectory _data = new();

    public VersionedCatalogueFixture()
    {
        var sample = SampleCatalogue.Slice(800);
        Seed = sample[17];
        SeedVersions =
        [
            Seed.Clone(t => { t.TrackId = "v-seed-remaster"; t.Name += " - Remastered 2011"; t.Popularity = 5; }),
            Seed.Clone(t => { t.TrackId = "v-seed-live"; t.Name += " (Live)"; t.Popularity = 3; }),
        ];
        NearSongVersions =
        [
            Near("v-near-album", "Close To You", tempoStep: 1, popularity: 10),
            Near("v-near-remaster", "Close To You - 2009 Remaster", tempoStep: 1, popularity: 60),
            Near("v-near-edit", "Close To You - Radio Edit", tempoStep: 1, popularity: 30),
        ];
        BandSongs = [.. Enumerable.Range(2, 5).Select(i => Near($"v-band-{i}", $"Band Song {i}", tempoStep: i, popularity: 20))];
        Catalogue = [.. sample, .. SeedVersions, .. NearSongVersions, .. BandSongs];
    }

    public Track Seed { get; }

    public IReadOnlyList<Track> SeedVersions { get; }

    public IReadOnlyList<Track> NearSongVersions { get; }

    public IReadOnlyList<Track> BandSongs { get; }

    public IReadOnlyList<Track> Catalogue { get; }

    public MusicDnaTestServer Server { get; private set; } = null!;

    public string DataDirectory => _data.Path;

    public async Task InitializeAsync()
    {
        Server = await MusicDnaTestServer.StartAsync(_data.Path);
        await Server.Client.IngestAsync(Catalogue);
        await Server.Client.TrainAsync(TrainedServerFixture.QuickTraining);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Dispose();
    }

    public void Dispose() => _data.Dispose();

    private Track Near(string id, string name, int tempoStep, int popularity) => Seed.Clone(t =>
    {
        t.TrackId = id;
        t.Name = name;
        t.Artists.Clear();
        t.Artists.Add(Band);
        t.Popularity = popularity;
        t.Features.Tempo += 0.5 * tempoStep;
    });
}

/// <summary>The test classes that share one <see cref="VersionedCatalogueFixture"/> (trained once for all of them).</summary>
[CollectionDefinition(VersionedCatalogueFixture.Collection)]
public sealed class VersionedCatalogueDefinition : ICollectionFixture<VersionedCatalogueFixture>;
