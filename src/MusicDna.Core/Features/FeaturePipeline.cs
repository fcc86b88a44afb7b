using MusicDna.Core.Errors;

namespace MusicDna.Core.Features;

/// <summary>
/// Raw audio features → model input: scikit-learn's <c>PowerTransformer(method="yeo-johnson", standardize=True)</c>
/// followed by <c>MinMaxScaler()</c>, fitted on training rows and reproduced here operation for operation.
/// Immutable once built, so one instance serves any number of threads. Values outside the training range are not
/// clipped, as in sklearn: a new track may land slightly below 0 or above 1.
/// </summary>
public sealed class FeaturePipeline
{
    private const int Count = FeatureSchema.Count;

    // numpy's finfo(float64).eps, which sklearn uses to spot constant columns (.NET's double.Epsilon is another thing).
    private const double MachineEpsilon = 2.220446049250313e-16;

    private readonly double[] _lambdas;
    private readonly double[] _means;
    private readonly double[] _scales;
    private readonly double[] _mins;
    private readonly double[] _maxs;

    // MinMaxScaler's own form (X * scale_ + min_), kept so results round the way sklearn's do.
    private readonly double[] _minMaxScales;
    private readonly double[] _minMaxOffsets;

    private FeaturePipeline(double[] lambdas, double[] means, double[] scales, double[] mins, double[] maxs)
    {
        _lambdas = lambdas;
        _means = means;
        _scales = scales;
        _mins = mins;
        _maxs = maxs;
        _minMaxScales = new double[Count];
        _minMaxOffsets = new double[Count];
        for (var j = 0; j < Count; j++)
        {
            var range = maxs[j] - mins[j];
            _minMaxScales[j] = 1.0 / (range < 10 * MachineEpsilon ? 1.0 : range);
            _minMaxOffsets[j] = 0.0 - (mins[j] * _minMaxScales[j]);
        }
    }

    /// <summary>The fitted parameters; a fresh copy each call, so callers cannot change this pipeline.</summary>
    public FeaturePipelineParameters Parameters =>
        new([.. FeatureSchema.Names], [.. _lambdas], [.. _means], [.. _scales], [.. _mins], [.. _maxs]);

    /// <summary>Fits the pipeline on raw training rows, each <see cref="FeatureSchema.Count"/> values in schema order.</summary>
    /// <exception cref="InvalidInputException">No rows, a row of the wrong length, or a value that is not finite.</exception>
    public static FeaturePipeline Fit(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new InvalidInputException("rows", "at least one row is needed to fit the feature pipeline");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            CheckRow($"rows[{i}]", rows[i]);
        }

        var n = rows.Count;
        var lambdas = new double[Count];
        var column = new double[n];
        var transformed = new double[n * Count];
        for (var j = 0; j < Count; j++)
        {
            for (var i = 0; i < n; i++)
            {
                column[i] = rows[i][j];
            }

            lambdas[j] = YeoJohnson.FitLambda(column);
            for (var i = 0; i < n; i++)
            {
                transformed[(i * Count) + j] = YeoJohnson.Transform(column[i], lambdas[j]);
            }
        }

        var (means, scales) = FitStandardScaler(transformed, n);
        var mins = new double[Count];
        var maxs = new double[Count];
        Array.Fill(mins, double.PositiveInfinity);
        Array.Fill(maxs, double.NegativeInfinity);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < Count; j++)
            {
                var standardised = (transformed[(i * Count) + j] - means[j]) / scales[j];
                mins[j] = Math.Min(mins[j], standardised);
                maxs[j] = Math.Max(maxs[j], standardised);
            }
        }

        return new FeaturePipeline(lambdas, means, scales, mins, maxs);
    }

    /// <summary>Rebuilds a pipeline from saved parameters, refusing any that could not have come from a fit.</summary>
    /// <exception cref="InvalidInputException">Names differ from the schema, a list has the wrong length, or a value is bad.</exception>
    public static FeaturePipeline FromParameters(FeaturePipelineParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.FeatureNames is null || !parameters.FeatureNames.SequenceEqual(FeatureSchema.Names))
        {
            throw new InvalidInputException(
                "parameters.feature_names", $"must be exactly [{string.Join(", ", FeatureSchema.Names)}] in that order");
        }

        var lambdas = CheckedCopy("parameters.lambdas", parameters.Lambdas);
        var means = CheckedCopy("parameters.means", parameters.Means);
        var scales = CheckedCopy("parameters.scales", parameters.Scales);
        var mins = CheckedCopy("parameters.mins", parameters.Mins);
        var maxs = CheckedCopy("parameters.maxs", parameters.Maxs);
        for (var j = 0; j < Count; j++)
        {
            if (scales[j] <= 0)
            {
                throw new InvalidInputException($"parameters.scales[{j}]", $"must be positive, got {scales[j]}");
            }

            if (maxs[j] < mins[j])
            {
                throw new InvalidInputException($"parameters.maxs[{j}]", $"must not be below mins[{j}] ({mins[j]}), got {maxs[j]}");
            }
        }

        return new FeaturePipeline(lambdas, means, scales, mins, maxs);
    }

    /// <summary>Transforms one raw row into <paramref name="scaled"/> (both <see cref="FeatureSchema.Count"/> long).</summary>
    /// <exception cref="InvalidInputException">The row has the wrong length or a value that is not finite.</exception>
    public void Transform(ReadOnlySpan<double> raw, Span<float> scaled)
    {
        CheckRow("features", raw);
        CheckDestination(scaled.Length, nameof(scaled));
        for (var j = 0; j < Count; j++)
        {
            var standardised = (YeoJohnson.Transform(raw[j], _lambdas[j]) - _means[j]) / _scales[j];
            scaled[j] = (float)((standardised * _minMaxScales[j]) + _minMaxOffsets[j]);
        }
    }

    /// <summary>Transforms many rows into one row-major array of <c>rows.Count × </c><see cref="FeatureSchema.Count"/>.</summary>
    /// <exception cref="InvalidInputException">A row has the wrong length or a value that is not finite.</exception>
    public float[] TransformMany(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new float[rows.Count * Count];
        for (var i = 0; i < rows.Count; i++)
        {
            CheckRow($"rows[{i}]", rows[i]);
            Transform(rows[i], result.AsSpan(i * Count, Count));
        }

        return result;
    }

    /// <summary>
    /// Maps a scaled row back to raw feature values (sklearn's <c>inverse_transform</c> of both stages). Exact up to
    /// float rounding inside the training range; far outside it the Yeo-Johnson inverse may have no answer (NaN).
    /// </summary>
    public void InverseTransform(ReadOnlySpan<float> scaled, Span<double> raw)
    {
        if (scaled.Length != Count)
        {
            throw new InvalidInputException("features", $"expected {Count} values, got {scaled.Length}");
        }

        CheckDestination(raw.Length, nameof(raw));
        for (var j = 0; j < Count; j++)
        {
            var standardised = (scaled[j] - _minMaxOffsets[j]) / _minMaxScales[j];
            raw[j] = YeoJohnson.InverseTransform((standardised * _scales[j]) + _means[j], _lambdas[j]);
        }
    }

    /// <summary>
    /// sklearn's StandardScaler fit: per column, a plain sum down the rows for the mean, then the corrected two-pass
    /// variance (Chan, Golub and LeVeque); near-constant columns get scale 1 rather than a near-zero divisor.
    /// </summary>
    private static (double[] Means, double[] Scales) FitStandardScaler(double[] values, int n)
    {
        var means = new double[Count];
        var scales = new double[Count];
        for (var j = 0; j < Count; j++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += values[(i * Count) + j];
            }

            var mean = sum / n;
            var correction = 0.0;
            var squares = 0.0;
            for (var i = 0; i < n; i++)
            {
                var d = values[(i * Count) + j] - mean;
                correction += d;
                squares += d * d;
            }

            var variance = (squares - (correction * correction / n)) / n;
            var upperBound = (n * MachineEpsilon * variance) + Math.Pow(n * mean * MachineEpsilon, 2);
            means[j] = mean;
            scales[j] = variance <= upperBound ? 1.0 : Math.Sqrt(variance);
        }

        return (means, scales);
    }

    private static void CheckRow(string field, ReadOnlySpan<double> row)
    {
        if (row.Length != Count)
        {
            throw new InvalidInputException(field, $"expected {Count} values, got {row.Length}");
        }

        for (var j = 0; j < Count; j++)
        {
            if (!double.IsFinite(row[j]))
            {
                throw new InvalidInputException($"{field}.{FeatureSchema.Names[j]}", $"must be a finite number, got {row[j]}");
            }
        }
    }

    private static double[] CheckedCopy(string field, double[]? values)
    {
        if (values is null || values.Length != Count)
        {
            throw new InvalidInputException(field, $"expected {Count} values, got {values?.Length ?? 0}");
        }

        for (var j = 0; j < Count; j++)
        {
            if (!double.IsFinite(values[j]))
            {
                throw new InvalidInputException($"{field}[{j}]", $"must be a finite number, got {values[j]}");
            }
        }

        return [.. values];
    }

    private static void CheckDestination(int length, string name)
    {
        if (length != Count)
        {
            throw new ArgumentException($"The destination must hold exactly {Count} values, not {length}.", name);
        }
    }
}
