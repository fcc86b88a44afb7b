namespace MusicDna.Engine.GenreBenders;

/// <summary>The genre benders found under one model, highest entropy first, and how many tracks were scored.</summary>
public sealed record GenreBenderResult(long ModelVersion, IReadOnlyList<GenreBender> Benders, long Candidates);
