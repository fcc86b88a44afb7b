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
    private const char Separator = '\u001f';

    public static string Encode(
        PageTokenKey key, long modelVersion, ReadOnlySpan<byte> fingerprint, IEnumerable<long> servedRowIds, IReadOnlyList<long>? recentRowIds = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(servedRowIds);
        recentRowIds ??= [];
        var ids = servedRowIds.Order().ToArray();
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Format);
            writer.Write7BitEncodedInt64(modelVersion);
            writer.Write(fingerprint);
            writer.Write7BitEncodedInt64(ids.Length);
            var previous = 0L;
            foreach (var id in ids)
            {
                writer.Write7BitEncodedInt64(id - previous);
                previous = id;
            }

            writer.Write7BitEncodedInt64(recentRowIds.Count);
            foreach (var id in recentRowIds)
            {
                writer.Write7BitEncodedInt64(id);
            }
        }

        var body = buffer.ToArray();
        return Base64Url.EncodeToString([.. body, .. key.Sign(body).AsSpan(0, SignatureLength)]);
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
        var text = new StringBuilder();
        void Add(object? value) => text.Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append(Separator);

        // Caller text (track ids, genres) may hold the separators: escaped, ["a,b"] and ["a", "b"] stay two requests.
        // Text free of commas, backslashes and separators is unchanged, and so are the tokens issued before.
        static string Escaped(string value) =>
            value.Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace(",", "\\,", StringComparison.Ordinal)
                .Replace(new string(Separator, 1), $"\\{Separator}", StringComparison.Ordinal);

        static string List(IEnumerable<string> values) => string.Join(",", values.Select(Escaped).Order(StringComparer.Ordinal));

        Add(query.Strategy);
        foreach (var seed in query.Seeds)
        {
            Add(seed.TrackId is { } trackId
                ? Escaped(trackId)
                : string.Join(",", seed.Features!.Select(f => f.ToString("R", CultureInfo.InvariantCulture))));
            Add(seed.Weight.ToString("R", CultureInfo.InvariantCulture));
            Add(seed.Negative);
        }

        var filter = query.Filter;
        Add(List(filter.IncludeGenres.Select(g => g.ToUpperInvariant())));
        Add(List(filter.ExcludeGenres.Select(g => g.ToUpperInvariant())));
        Add(filter.ExcludeSeedArtists);
        Add(filter.ExcludeExplicit);
        Add(filter.MinPopularity);
        Add(filter.MaxPopularity);
        Add(filter.MinTempo?.ToString("R", CultureInfo.InvariantCulture));
        Add(filter.MaxTempo?.ToString("R", CultureInfo.InvariantCulture));
        Add(List(filter.ExcludeTrackIds));
        Add(query.EffectivePopularityPenalty.ToString("R", CultureInfo.InvariantCulture));
        Add(query.Diversity.ToString("R", CultureInfo.InvariantCulture));
        Add(query.MaxTracksPerArtist);

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

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))[..FingerprintLength];
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
