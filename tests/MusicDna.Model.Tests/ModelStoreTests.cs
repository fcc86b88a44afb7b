using MusicDna.Core.Features;

namespace MusicDna.Model.Tests;

[Collection(TorchTests.Name)]
public sealed class ModelStoreTests(TrainedModelFixture fixture) : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("musicdna-store-");

    [Fact]
    public void An_empty_store_has_no_versions_and_no_latest_model()
    {
        var store = new ModelStore(Path.Combine(root.FullName, "models"));

        Assert.Empty(store.Versions());
        Assert.Null(store.LoadLatest());
    }

    [Fact]
    public void Publishing_twice_gives_v1_then_v2_and_LoadLatest_returns_v2_with_its_manifest()
    {
        var store = new ModelStore(root.FullName);

        var first = store.Publish(Manifest(), fixture.Model);
        var second = store.Publish(Manifest() with { Metrics = Manifest().Metrics with { EpochsRun = 99 } }, fixture.Model);
        using var latest = store.LoadLatest();

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal([1L, 2L], store.Versions());
        Assert.True(Directory.Exists(Path.Combine(root.FullName, "v000001")));
        Assert.NotNull(latest);
        Assert.Equal(2, latest.Manifest.Version);
        Assert.Equal(99, latest.Manifest.Metrics.EpochsRun);
        Assert.Equal(second.CreatedAt, latest.Manifest.CreatedAt);
        Assert.Equal(fixture.Model.Config, latest.Manifest.Config);
        Assert.Equal(fixture.Options, latest.Manifest.Training);
        Assert.Equal(Pipeline().Lambdas, latest.Manifest.Pipeline.Lambdas);
        Assert.Equal(Pipeline().FeatureNames, latest.Manifest.Pipeline.FeatureNames);
        Assert.Equal(
            fixture.Model.Encode(fixture.Data.Test, fixture.Data.TestRows),
            latest.Autoencoder.Encode(fixture.Data.Test, fixture.Data.TestRows));
    }

    [Fact]
    public void LoadLatest_ignores_a_leftover_temporary_directory_and_an_incomplete_version_directory()
    {
        var store = new ModelStore(root.FullName);
        store.Publish(Manifest(), fixture.Model);
        store.Publish(Manifest(), fixture.Model);

        // A crashed publish leaves a full .tmp- directory; a damaged version keeps its manifest but lost its weights.
        CopyDirectory(Path.Combine(root.FullName, "v000002"), Path.Combine(root.FullName, ".tmp-crashed"));
        var incomplete = Directory.CreateDirectory(Path.Combine(root.FullName, "v000003"));
        File.Copy(Path.Combine(root.FullName, "v000002", ModelStore.ManifestFileName), Path.Combine(incomplete.FullName, ModelStore.ManifestFileName));
        using var latest = store.LoadLatest();

        Assert.Equal([1L, 2L], store.Versions());
        Assert.Equal(2, latest?.Manifest.Version);
    }

    [Fact]
    public void A_new_version_never_reuses_the_number_of_an_incomplete_directory()
    {
        var store = new ModelStore(root.FullName);
        Directory.CreateDirectory(Path.Combine(root.FullName, "v000003"));

        var published = store.Publish(Manifest(), fixture.Model);

        Assert.Equal(4, published.Version);
        Assert.Equal([4L], store.Versions());
    }

    [Fact]
    public void Concurrent_publishes_get_distinct_consecutive_versions()
    {
        var store = new ModelStore(root.FullName);

        var versions = new long[6];
        Parallel.For(0, versions.Length, i => versions[i] = store.Publish(Manifest(), fixture.Model).Version);

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], versions.Order());
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], store.Versions());
        Assert.Empty(Directory.GetDirectories(root.FullName, ".tmp-*"));
    }

    [Fact]
    public void Publishing_a_manifest_whose_config_does_not_match_the_model_is_refused()
    {
        var store = new ModelStore(root.FullName);

        Assert.Throws<ArgumentException>(() =>
            store.Publish(Manifest() with { Config = new AutoencoderConfig(HiddenSizes: [8]) }, fixture.Model));
        Assert.Empty(Directory.GetDirectories(root.FullName));
    }

    public void Dispose() => root.Delete(recursive: true);

    private ModelManifest Manifest() => new(
        Version: 0,
        CreatedAt: default,
        fixture.Model.Config,
        fixture.Options,
        Pipeline(),
        ModelMetrics.From(fixture.Result));

    private static FeaturePipelineParameters Pipeline() => new(
        FeatureSchema.Names,
        Lambdas: [.. Enumerable.Range(0, 12).Select(i => 0.5 + (i / 10.0))],
        Means: new double[12],
        Scales: [.. Enumerable.Repeat(1.0, 12)],
        Mins: [.. Enumerable.Repeat(-3.0, 12)],
        Maxs: [.. Enumerable.Repeat(3.0, 12)]);

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
