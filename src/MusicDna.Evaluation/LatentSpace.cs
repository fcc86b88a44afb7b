namespace MusicDna.Evaluation;

/// <summary>Every track's vector in one space (row-major, catalogue order), with what made it.</summary>
internal sealed record LatentSpace(string Method, float[] Vectors, int Dimensions, double? TrainingSeconds, int? EpochsRun, double? HeldOutMse, bool Clustered);
