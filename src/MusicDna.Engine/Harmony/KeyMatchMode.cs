namespace MusicDna.Engine.Harmony;

/// <summary>Which keys a harmonic filter accepts relative to the seed's, on the Camelot wheel.</summary>
public enum KeyMatchMode
{
    /// <summary>No key filter.</summary>
    None,

    /// <summary>The seed's code only.</summary>
    Same,

    /// <summary>The seed's code, ±1 step, or the relative major/minor.</summary>
    Compatible,
}
