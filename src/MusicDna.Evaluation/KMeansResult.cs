namespace MusicDna.Evaluation;

/// <summary>A k-means fit: centroids (k × dimension, row-major), each row's cluster, and the sum of squared distances.</summary>
public sealed record KMeansResult(float[] Centroids, int[] Labels, double Inertia, int Iterations);
