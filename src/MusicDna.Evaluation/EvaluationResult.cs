namespace MusicDna.Evaluation;

/// <summary>The report, and the 2-d map of the served space to draw.</summary>
public sealed record EvaluationResult(EvaluationReport Report, LatentMap Map);
