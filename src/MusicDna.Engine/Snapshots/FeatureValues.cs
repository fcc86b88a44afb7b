using MusicDna.Core.Features;

namespace MusicDna.Engine.Snapshots;

/// <summary>
/// The 12 raw features of one track in a <see cref="TrackTable"/>, in <see cref="FeatureSchema"/> order, exactly as
/// ingested: read one at a time from the table's compact columns without copying them out.
/// </summary>
public readonly struct FeatureValues
{
    private readonly TrackTable _table;
    private readonly int _slot;

    internal FeatureValues(TrackTable table, int slot)
    {
        _table = table;
        _slot = slot;
    }

    public double this[int index]
    {
        get
        {
            if ((uint)index >= FeatureSchema.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"A feature index is in [0, {FeatureSchema.Count}).");
            }

            return _table.FeatureOf(_slot, index);
        }
    }

    public void CopyTo(Span<double> destination)
    {
        if (destination.Length < FeatureSchema.Count)
        {
            throw new ArgumentException($"Room for {destination.Length} values, not {FeatureSchema.Count}.", nameof(destination));
        }

        for (var i = 0; i < FeatureSchema.Count; i++)
        {
            destination[i] = _table.FeatureOf(_slot, i);
        }
    }

    public double[] ToArray()
    {
        var values = new double[FeatureSchema.Count];
        CopyTo(values);
        return values;
    }

    /// <summary>Whether <paramref name="other"/> holds the same values (as <see cref="double.Equals(double)"/> compares).</summary>
    public bool SequenceEqual(ReadOnlySpan<double> other)
    {
        if (other.Length != FeatureSchema.Count)
        {
            return false;
        }

        for (var i = 0; i < FeatureSchema.Count; i++)
        {
            if (!_table.FeatureOf(_slot, i).Equals(other[i]))
            {
                return false;
            }
        }

        return true;
    }
}
