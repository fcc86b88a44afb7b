namespace MusicDna.Engine.Playlists;

/// <summary>The energy shape an ordered playlist may be asked to follow.</summary>
public enum EnergyArcShape
{
    /// <summary>No arc.</summary>
    None,

    /// <summary>Lowest energy first, highest last.</summary>
    Rising,

    /// <summary>Highest energy first, lowest last.</summary>
    Falling,

    /// <summary>Rising to the highest energy in the middle, then falling.</summary>
    Peak,
}
