using MusicDna.Engine.Map;

namespace MusicDna.Engine.Tests;

/// <summary>The sonic map's paged positions: set, move, remove, and row ids outside the dense range.</summary>
public sealed class SonicMapTests
{
    [Fact]
    public void Positions_are_set_moved_and_removed_by_row_id_and_counted()
    {
        var map = new SonicMap();

        map.Set([1, 5_000, -3, long.MaxValue], [0.5f, -1, 2, 3], [0.25f, 0, -2, float.Epsilon]);
        map.Set([5_000], [7], [8]);
        map.Remove(1);
        map.Remove(1);
        map.Remove(42);

        Assert.Equal(3, map.Count);
        Assert.False(map.TryGet(1, out _));
        Assert.False(map.TryGet(2, out _));
        Assert.False(map.TryGet(1L << 40, out _));
        Assert.True(map.TryGet(5_000, out var moved));
        Assert.Equal(new MapPosition(7, 8), moved);
        Assert.True(map.TryGet(-3, out var negative));
        Assert.Equal(new MapPosition(2, -2), negative);
        Assert.True(map.TryGet(long.MaxValue, out var far));
        Assert.Equal(new MapPosition(3, float.Epsilon), far);
    }
}
