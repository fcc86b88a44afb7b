using System.Collections.Immutable;
using MusicDna.Core.Errors;
using MusicDna.Core.Numerics;

namespace MusicDna.Core.Tracks;

/// <summary>
/// A seeded partition of item indexes 0..count-1 into train, validation and test sets. The same count, fractions and
/// seed always give the same split, on any machine and runtime. Each set is sorted ascending.
/// </summary>
public sealed class DataSplit
{
    public const double MaxFraction = 0.5;

    private DataSplit(ImmutableArray<int> train, ImmutableArray<int> validation, ImmutableArray<int> test)
    {
        Train = train;
        Validation = validation;
        Test = test;
    }

    public ImmutableArray<int> Train { get; }

    public ImmutableArray<int> Validation { get; }

    public ImmutableArray<int> Test { get; }

    /// <summary>
    /// Shuffles 0..count-1 (Fisher–Yates driven by SplitMix64 from <paramref name="seed"/>) and cuts it:
    /// floor(count × validationFraction) for validation, floor(count × testFraction) for test, the rest for training,
    /// so training is never empty while count &gt; 0.
    /// </summary>
    /// <exception cref="InvalidInputException">A negative count, a fraction outside [0, 0.5], or fractions summing to 1.</exception>
    public static DataSplit Create(int count, double validationFraction, double testFraction, int seed)
    {
        if (count < 0)
        {
            throw new InvalidInputException("count", $"must not be negative, got {count}");
        }

        CheckFraction("validation_fraction", validationFraction);
        CheckFraction("test_fraction", testFraction);
        if (validationFraction + testFraction >= 1)
        {
            throw new InvalidInputException(
                "test_fraction", $"validation and test fractions must leave rows for training, got {validationFraction} + {testFraction}");
        }

        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var random = new SplitMix64(unchecked((ulong)seed));
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.NextBelow(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var validationCount = (int)Math.Floor(count * validationFraction);
        var testCount = (int)Math.Floor(count * testFraction);
        var span = order.AsSpan();
        return new DataSplit(
            Sorted(span[(validationCount + testCount)..]),
            Sorted(span[..validationCount]),
            Sorted(span.Slice(validationCount, testCount)));
    }

    private static void CheckFraction(string field, double fraction)
    {
        // Written so that NaN fails too.
        if (!(fraction is >= 0 and <= MaxFraction))
        {
            throw new InvalidInputException(field, $"must be in [0, {MaxFraction}], got {fraction}");
        }
    }

    private static ImmutableArray<int> Sorted(ReadOnlySpan<int> indexes)
    {
        var copy = indexes.ToArray();
        Array.Sort(copy);
        return ImmutableArray.Create(copy);
    }
}
