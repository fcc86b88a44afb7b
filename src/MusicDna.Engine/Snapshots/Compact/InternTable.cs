namespace MusicDna.Engine.Snapshots.Compact;

/// <summary>
/// Strings that many tracks share (genres, artists), each stored once and named by a small dense id. Ids are never
/// reused nor dropped while the table lives. One writer interns; readers resolve ids published to them.
/// </summary>
internal sealed class InternTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly ChunkedColumn<string> _values = new(1);
    private volatile int _count;

    /// <summary>Distinct strings interned.</summary>
    public int Count => _count;

    /// <summary>The id of the string, added when new (writer only).</summary>
    public int Intern(string value)
    {
        if (_ids.TryGetValue(value, out var id))
        {
            return id;
        }

        id = _count;
        _values.Write(id)[0] = value;
        _ids.Add(value, id);
        _count = id + 1;
        return id;
    }

    public string this[int id] => _values.Read(id)[0];
}
