namespace MusicDna.Catalogue;

/// <summary>
/// The catalogue file cannot be used: corrupt, not a MusicDna database, or written by a newer version.
/// Raised at start-up so the operator gets one clear sentence instead of a stack trace.
/// </summary>
public sealed class CatalogueUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
