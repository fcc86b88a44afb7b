namespace MusicDna.Model.Tests;

/// <summary>
/// Records each epoch synchronously, on the training thread (Progress&lt;T&gt; would post to the thread pool and
/// arrive late), and runs an optional action so a test can cancel at a chosen epoch.
/// </summary>
public sealed class RecordingProgress(Action<EpochProgress>? onReport = null) : IProgress<EpochProgress>
{
    private readonly List<EpochProgress> reports = [];

    public IReadOnlyList<EpochProgress> Reports => reports;

    public void Report(EpochProgress value)
    {
        reports.Add(value);
        onReport?.Invoke(value);
    }
}
