using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MusicDna.Core.Errors;

namespace MusicDna.Engine.Recommend;

/// <summary>
/// The continuation token of a feed: base64url of
/// <c>[format 3][model version][request fingerprint (16 bytes)][served row ids, sorted, delta-varint]
/// [the last rows served, in feed order, varint][signature (16 bytes)]</c> (format 2, without the last rows, is still
/// read). The next page excludes every served id (and, with songs collapsed, their songs), so pages never repeat
/// whatever the catalogue does in between; the last rows let the artist window run on across pages; the
/// fingerprint ties the token to the request that issued it, the model version to the latent space its ranking
/// came from. The signature is an HMAC-SHA256 (truncated) under the server's <see cref="PageTokenKey"/>: a token is
/// server state handed to a client, so one the server did not issue — forged, edited, damaged, or signed under
/// another key — is always INVALID_PAGE_TOKEN.
/// </summary>
public static class FeedToken
{
    public const string InvalidReason = "INVALID_PAGE_TOKEN";
    public const string ExpiredReason = "PAGE_TOKEN_EXPIRED";

    private const byte Format = 3;
    private const byte FormatWithoutRecent = 2;
    private const int FingerprintLength = 16;
    private const int SignatureLength = 16;
    private const int MaxVarintLength = 10;
    private const int MaxKeptFingerprintChars = 4096;
    private const char Separator = '\u001f';

    private static readonly SearchValues<char> Escapable = SearchValues.Create(['\\', ',', Separator]);

    [ThreadStatic]
    private static StringBuilder? t_fingerprintText;

    public static string Encode(
        PageTokenKey key, long modelVersion, ReadOnlySpan<byte> fingerprint, IEnumerable<long> servedRowIds, IReadOnlyList<long>? recentRowIds = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(servedRowIds);
        recentRowIds ??= [];
        var ids = servedRowIds.ToArray();
        Array.Sort(ids);

        // Varints as BinaryWriter.Write7BitEncodedInt64 writes them (at most 10 bytes each): the format tokens have.
        // Written straight into the token, the signature after the body.
        var token = new byte[1 + fingerprint.Length + (3 + ids.Length + recentRowIds.Count) * MaxVarintLength + SignatureLength];
        var at = 0;
        token[at++] = Format;
        at += WriteVarint(token.AsSpan(at), modelVersion);
        fingerprint.CopyTo(token.AsSpan(at));
        at += fingerprint.Length;
        at += WriteVarint(token.AsSpan(at), ids.Length);
        var previous = 0L;
        foreach (var id in ids)
        {
            at += WriteVarint(token.AsSpan(at), id - previous);
            previous = id;
        }

        at += WriteVarint(token.AsSpan(at), recentRowIds.Count);
        foreach (var id in recentRowIds)
        {
            at += WriteVarint(token.AsSpan(at), id);
        }

        key.Sign(token.AsSpan(0, at)).AsSpan(0, SignatureLength).CopyTo(token.AsSpan(at));
        return Base64Url.EncodeToString(token.AsSpan(0, at + SignatureLength));
    }

    private static int WriteVarint(Span<byte> output, long value)
    {
        var rest = (ulong)value;
        var at = 0;
        while (rest >= 0x80)
        {
            output[at++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        output[at++] = (byte)rest;
        return at;
    }

    /// <summary>The served row ids of a token from <see cref="Encode"/>, after checking it belongs to this request
    /// and model; an empty token is the first page (nothing served).</summary>
    public static HashSet<long> Decode(PageTokenKey key, string token, long modelVersion, ReadOnlySpan<byte> fingerprint) =>
        DecodeWithRecent(key, token, modelVersion, fingerprint).Served;

    /// <summary>As <see cref="Decode"/>, with the last rows served in feed order (oldest first).</summary>
    public static (HashSet<long> Served, IReadOnlyList<long> Recent) DecodeWithRecent(
        PageTokenKey key, string token, long modelVersion, ReadOnlySpan<byte> fingerprint)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length == 0)
        {
            return ([], []);
        }

        var (tokenVersion, tokenFingerprint, ids, recent) = Read(key, token);
        if (!fingerprint.SequenceEqual(tokenFingerprint))
        {
            throw new InvalidInputException("page_token", "was issued for a different request (seeds, strategy, filter or re-rank options differ)", InvalidReason);
        }

        if (tokenVersion != modelVersion)
        {
            throw new PreconditionFailedException(ExpiredReason,
                $"page_token was issued under model {tokenVersion}, but model {modelVersion} serves now: start the feed again without a token.");
        }

        return (ids, recent);
    }

    /// <summary>16 bytes identifying everything that shapes a feed's order (not k, explain, history or the token itself).</summary>
    public static byte[] Fingerprint(RecommendQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Typed appends, one builder per thread: the text is the one Convert.ToString gave every value when tokens
        // were first issued, without boxing each value or sorting empty lists on every call.
        var text = t_fingerprintText ??= new StringBuilder(256);
        text.Clear();
        void Add(string? value) => text.Append(value).Append(Separator);
        void AddFlag(bool value) => text.Append(value ? bool.TrueString : bool.FalseString).Append(Separator);
        void AddNumber(int? value)
        {
            if (value is { } number)
            {
                text.Append(CultureInfo.InvariantCulture, $"{number}");
            }

            text.Append(Separator);
        }

        void AddReal(double? value)
        {
            if (value is { } real)
            {
                text.Append(CultureInfo.InvariantCulture, $"{real:R}");
            }

            text.Append(Separator);
        }

        // Caller text (track ids, genres) may hold the separators: escaped, ["a,b"] and ["a", "b"] stay two requests.
        // Text free of commas, backslashes and separators is unchanged, and so are the tokens issued before.
        static string Escaped(string value) =>
            value.AsSpan().IndexOfAny(Escapable) < 0
                ? value
                : value.Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace(",", "\\,", StringComparison.Ordinal)
                    .Replace(new string(Separator, 1), $"\\{Separator}", StringComparison.Ordinal);

        void AddList(IReadOnlyList<string> values, bool upper)
        {
            if (values.Count == 0)
            {
                text.Append(Separator);
                return;
            }

            if (values.Count == 1)
            {
                Add(Escaped(upper ? values[0].ToUpperInvariant() : values[0]));
                return;
            }

            Add(string.Join(",", values.Select(v => Escaped(upper ? v.ToUpperInvariant() : v)).Order(StringComparer.Ordinal)));
        }

        Add(query.Strategy.ToString());
        foreach (var seed in query.Seeds)
        {
            if (seed.TrackId is { } trackId)
            {
                Add(Escaped(trackId));
            }
            else
            {
                var features = seed.Features!;
                for (var i = 0; i < features.Length; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}{features[i]:R}");
                }

                text.Append(Separator);
            }

            AddReal(seed.Weight);
            AddFlag(seed.Negative);
        }

        var filter = query.Filter;
        AddList(filter.IncludeGenres, upper: true);
        AddList(filter.ExcludeGenres, upper: true);
        AddFlag(filter.ExcludeSeedArtists);
        AddFlag(filter.ExcludeExplicit);
        AddNumber(filter.MinPopularity);
        AddNumber(filter.MaxPopularity);
        AddReal(filter.MinTempo);
        AddReal(filter.MaxTempo);
        AddList(filter.ExcludeTrackIds, upper: false);
        AddReal(query.EffectivePopularityPenalty);
        AddReal(query.Diversity);
        AddNumber(query.MaxTracksPerArtist);

        // Options added later join only when set, so a request without them keeps the fingerprint it always had.
        if (query.IncludeSongVersions)
        {
            Add("include_song_versions");
        }

        if (query.SongVersion is { } version)
        {
            Add("song_version=" + version);
        }

        if (query.MinScore is { } floor)
        {
            Add("min_score=" + floor.ToString("R", CultureInfo.InvariantCulture));
        }

        if (query.ArtistWindow > 0)
        {
            Add("artist_window=" + query.ArtistWindow.ToString(CultureInfo.InvariantCulture));
        }

        if (query.GroupBy != FeedGrouping.None)
        {
            Add("group_by=" + query.GroupBy + "," + query.EffectiveGroupSize.ToString(CultureInfo.InvariantCulture));
        }

        static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
        foreach (var tuning in query.Attributes.OrderBy(a => a.Attribute.Name, StringComparer.Ordinal))
        {
            Add($"attribute={tuning.Attribute.Name},{Number(tuning.Min)},{Number(tuning.Max)},{Number(tuning.Target)}");
        }

        if (query.HasTargets)
        {
            Add("target_weight=" + Number(query.EffectiveTargetWeight));
        }

        foreach (var (name, offset) in query.Steer.Offsets.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            Add($"steer={name},{Number(offset)}");
        }

        if (filter.KeyMatch != Harmony.KeyMatchMode.None)
        {
            Add($"key_match={filter.KeyMatch},{filter.KeyEnergyBoost}");
        }

        if (filter.TempoWindowPercent is { } window)
        {
            Add($"tempo_window={Number(window)},{filter.TempoHalfDouble}");
        }

        return Hash(text);
    }

    private static byte[] Hash(StringBuilder text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text.ToString());
        if (text.Capacity > MaxKeptFingerprintChars)
        {
            // A request with many excluded ids grew it: not kept for the rest of the thread's life.
            t_fingerprintText = null;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, hash);
        return hash[..FingerprintLength].ToArray();
    }

    private static (long ModelVersion, byte[] Fingerprint, HashSet<long> Ids, List<long> Recent) Read(PageTokenKey key, string token)
    {
        try
        {
            var bytes = Base64Url.DecodeFromChars(token);
            if (bytes.Length < 1 + FingerprintLength + SignatureLength)
            {
                throw new FormatException("too short");
            }

            // The signature first: nothing of an unsigned token is read.
            var body = bytes.AsSpan(0, bytes.Length - SignatureLength);
            if (!CryptographicOperations.FixedTimeEquals(key.Sign(body).AsSpan(0, SignatureLength), bytes.AsSpan(body.Length)))
            {
                throw new FormatException("signature mismatch");
            }

            using var reader = new BinaryReader(new MemoryStream(body.ToArray()));
            var format = reader.ReadByte();
            if (format is not (Format or FormatWithoutRecent))
            {
                throw new FormatException("unknown format");
            }

            var version = reader.Read7BitEncodedInt64();
            var fingerprint = reader.ReadBytes(FingerprintLength);
            var count = reader.Read7BitEncodedInt64();
            if (count < 0 || count > body.Length)
            {
                throw new FormatException("bad count");
            }

            var ids = new HashSet<long>((int)count);
            var id = 0L;
            for (var i = 0; i < count; i++)
            {
                id += reader.Read7BitEncodedInt64();
                ids.Add(id);
            }

            var recent = new List<long>();
            if (format == Format)
            {
                var recentCount = reader.Read7BitEncodedInt64();
                if (recentCount < 0 || recentCount > body.Length)
                {
                    throw new FormatException("bad count");
                }

                for (var i = 0; i < recentCount; i++)
                {
                    recent.Add(reader.Read7BitEncodedInt64());
                }
            }

            if (reader.BaseStream.Position != body.Length)
            {
                throw new FormatException("trailing bytes");
            }

            return (version, fingerprint, ids, recent);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException)
        {
            throw new InvalidInputException("page_token", "is damaged or was not issued by this service", InvalidReason);
        }
    }
}
