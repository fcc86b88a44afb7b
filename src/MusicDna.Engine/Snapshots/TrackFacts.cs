using MusicDna.Core.Features;
using MusicDna.Core.Tracks;
using MusicDna.Engine.Snapshots.Compact;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// What a search needs to know about one catalogue track without asking the catalogue: the fields filters test,
/// its song (<see cref="SongKey"/>, as the catalogue stored it), its L2-normalised latent vector under the snapshot's
/// model (for multi-seed scoring and diversity), and the track itself, which Recommend streams. A view of one slot
/// of a <see cref="TrackTable"/>: the slot never changes, so the view reads the values it was found with even after
/// the row is replaced or removed. Strings other than genre and artists are decoded on each read; <see cref="Track"/>
/// builds the whole record.
/// </summary>
public readonly struct TrackFacts : IEquatable<TrackFacts>
{
    private static readonly int TempoIndex = FeatureSchema.IndexOf("tempo");

    private readonly TrackTable _table;
    private readonly int _slot;

    internal TrackFacts(TrackTable table, int slot)
    {
        _table = table;
        _slot = slot;
    }

    public string TrackId => TrackRecord.Decode(_table.TrackIdBytes(_slot));

    /// <summary>The track id's hash, as its table's <see cref="TrackTable.TrackIdHash(string)"/> computes it (no string is built).</summary>
    internal int TrackIdHash => _table.TrackIdHash(_table.TrackIdBytes(_slot));

    public string Name => TrackRecord.Name(_table.Record(_slot));

    public string Album => TrackRecord.Album(_table.Record(_slot));

    // The stored UTF-8 of the three decoded strings: what encoding the string gives (it was stored from a string), for
    // writers that would only encode it again.
    public ReadOnlySpan<byte> TrackIdUtf8 => _table.TrackIdBytes(_slot);

    public ReadOnlySpan<byte> NameUtf8 => TrackRecord.NameBytes(_table.Record(_slot));

    public ReadOnlySpan<byte> AlbumUtf8 => TrackRecord.AlbumBytes(_table.Record(_slot));

    public string Genre => _table.GenreName(GenreId);

    /// <summary>The genre's id in its table (ids are the table's own; equal ids are equal genres).</summary>
    internal int GenreId => _table.GenreIdOf(_slot);

    public IReadOnlyList<string> Artists
    {
        get
        {
            var record = TrackRecord.Artists(_table.Record(_slot));
            var at = 0;
            var artists = new string[TrackRecord.ReadVarint(record, ref at)];
            for (var i = 0; i < artists.Length; i++)
            {
                artists[i] = _table.ArtistName(TrackRecord.ReadVarint(record, ref at));
            }

            return artists;
        }
    }

    public int Popularity => _table.PopularityOf(_slot);

    public bool Explicit => _table.ExplicitOf(_slot);

    public long DurationMs => _table.DurationOf(_slot);

    /// <summary>The 12 raw features in <see cref="FeatureSchema"/> order, as ingested.</summary>
    public FeatureValues Features => new(_table, _slot);

    public double Tempo => _table.FeatureOf(_slot, TempoIndex);

    /// <summary>The unit latent vector.</summary>
    public ReadOnlySpan<float> Vector => _table.VectorOf(_slot);

    public string SongId => _table.SongIdOf(_slot);

    /// <summary>The song as the table keys it (equal keys are equal song ids).</summary>
    internal UInt128 Song => _table.SongOf(_slot);

    /// <summary>The whole track, built from the stored values.</summary>
    public Track Track => new(
        TrackId, Name, Artists, Album, Genre, Popularity, Explicit, DurationMs, Features.ToArray());

    /// <summary>Whether any of the track's artists is in the set (no strings are built).</summary>
    internal bool AnyArtistIn(IReadOnlySet<string> artists)
    {
        if (artists.Count == 0)
        {
            return false;
        }

        var record = TrackRecord.Artists(_table.Record(_slot));
        var at = 0;
        var count = TrackRecord.ReadVarint(record, ref at);
        for (var i = 0; i < count; i++)
        {
            if (artists.Contains(_table.ArtistName(TrackRecord.ReadVarint(record, ref at))))
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(TrackFacts other) => ReferenceEquals(_table, other._table) && _slot == other._slot;

    public override bool Equals(object? obj) => obj is TrackFacts other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_table, _slot);

    public static bool operator ==(TrackFacts left, TrackFacts right) => left.Equals(right);

    public static bool operator !=(TrackFacts left, TrackFacts right) => !left.Equals(right);
}
