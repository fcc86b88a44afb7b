using System.Security.Cryptography;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// The server's key for signing page tokens (HMAC-SHA256). From configuration (<c>MusicDna:PageTokenKey</c>, base64 of
/// at least 32 bytes: give every replica the same one), or else generated once and kept in the data directory
/// (<c>page-token.key</c>, readable by its owner only), so tokens stay valid across restarts.
/// </summary>
public sealed class PageTokenKey
{
    public const int MinBytes = 32;
    public const string FileName = "page-token.key";

    private readonly byte[] _key;

    public PageTokenKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinBytes)
        {
            throw new ArgumentException($"A page-token key needs at least {MinBytes} bytes, got {key.Length}.", nameof(key));
        }

        _key = [.. key];
    }

    /// <summary>The configured key, or the data directory's (created on first use).</summary>
    public static PageTokenKey From(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.PageTokenKey))
        {
            return new PageTokenKey(Convert.FromBase64String(options.PageTokenKey.Trim()));
        }

        var path = Path.Combine(options.DataDirectory, FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(options.DataDirectory);
            var created = Path.Combine(options.DataDirectory, $"{FileName}.{Guid.NewGuid():N}.tmp");
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(created, create))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinBytes)));
            }

            // A second server starting on the same directory at the same moment keeps whichever key landed first.
            try
            {
                File.Move(created, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(created);
            }
        }

        return new PageTokenKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }

    // One keyed HMAC per thread, reused: the one-shot HMACSHA256.HashData sets up a new one every call.
    [ThreadStatic]
    private static (PageTokenKey Owner, IncrementalHash Hmac)? t_signer;

    internal byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (t_signer is not { } signer || !ReferenceEquals(signer.Owner, this))
        {
            t_signer?.Hmac.Dispose();
            signer = (this, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
            t_signer = signer;
        }

        signer.Hmac.AppendData(data);
        return signer.Hmac.GetHashAndReset();
    }
}
