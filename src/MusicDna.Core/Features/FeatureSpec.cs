namespace MusicDna.Core.Features;

/// <summary>One audio feature: its wire name and the values a valid track may carry.</summary>
/// <param name="Name">snake_case name, as in the Spotify dataset and the gRPC contract.</param>
/// <param name="Min">Smallest accepted value (inclusive).</param>
/// <param name="Max">Largest accepted value (inclusive).</param>
/// <param name="Integral">True where only whole numbers make sense (key, mode, time signature).</param>
public sealed record FeatureSpec(string Name, double Min, double Max, bool Integral);
