namespace MusicDna.Testing;

/// <summary>Waits for a condition another thread or process makes true (a server counter), checking often, up to a limit.</summary>
public static class Poll
{
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
