using Google.Protobuf;
using MusicDna.Contracts.V1;
using MusicDna.Engine.Snapshots;
using MusicDna.Server.Grpc.Mapping;
using Domain = MusicDna.Core.Tracks;
using Feed = MusicDna.Engine.Recommend;

namespace MusicDna.Server.Tests;

/// <summary>
/// Recommend rows carry their track as bytes written straight from the track table: the very bytes protobuf writes
/// for the Track mapped from the same row, and a client reads the same Recommendation as before.
/// </summary>
public sealed class TrackWireTests
{
    private static readonly double[] Features = [0.5, 0.25, 7, -60.5, 1, 0.0345, 0, 0.000123, 0.1, 0.9, 181.734, 4];

    public static TheoryData<string> Rows => [.. Tracks().Select(t => t.TrackId)];

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_rows_track_bytes_are_what_protobuf_writes_for_its_mapped_track(string trackId)
    {
        var facts = Facts(trackId);
        var attached = new Recommendation();

        TrackWire.Attach(attached, facts);

        // With no other field set, a Recommendation is its field track alone: tag, length, the Track's bytes.
        Assert.Equal(new Recommendation { Track = TrackMapper.ToContract(facts) }.ToByteArray(), attached.ToByteArray());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_client_reads_the_recommendation_it_read_when_the_track_was_a_message(string trackId)
    {
        var facts = Facts(trackId);
        var row = new Feed.Recommendation(3, facts, 0.93f, 0.91f) { Cosine = 0.998f, SongId = facts.SongId, SongVersions = 2, Group = "rock" };
        var expected = new RecommendResponse
        {
            Recommendation = new Recommendation
            {
                Rank = 3, Score = 0.93f, RankingScore = 0.91f, Cosine = 0.998f, SongId = facts.SongId, SongVersions = 2, Group = "rock",
                Track = TrackMapper.ToContract(facts),
            },
        };

        var sent = RecommendRequestMapper.ToContract(row);

        // As a client reads each: text that is not valid UTF-16 reaches it replaced either way.
        Assert.Equal(RecommendResponse.Parser.ParseFrom(expected.ToByteArray()), RecommendResponse.Parser.ParseFrom(sent.ToByteArray()));
        Assert.Equal(expected.CalculateSize(), sent.CalculateSize());
    }

    private static TrackFacts Facts(string trackId)
    {
        var table = new TrackTable(3);
        var rowId = 1L;
        foreach (var track in Tracks())
        {
            table.Upsert(rowId++, track, "song-" + track.TrackId, [1, 0, 0]);
        }

        Assert.True(table.TryFind(trackId, out _, out var facts));
        return facts;
    }

    private static IEnumerable<Domain.Track> Tracks()
    {
        yield return new("plain", "Song", ["Artist"], "Album", "rock", 55, false, 215_000, Features);
        yield return new("unicode", "Beyoncé — 東京 🎵", ["Sigur Rós", "Ñandú"], "Ágætis byrjun", "j-pop", 100, true, 5_000_000_000, Features);
        yield return new("lone-surrogate", "broken \uD800 name", ["\uDC00artist"], "al\uD83Dbum", "gen\uDFFFre", 1, false, 1, Features);
        yield return new("defaults", "", ["", "second"], "", "", 0, false, 0, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        yield return new("many-artists", new string('x', 300), [.. Enumerable.Range(0, 20).Select(i => "artist " + i)], new string('é', 200), "ambient", 9, true, 127, Features);
    }
}
