using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Google.Protobuf;
using MusicDna.Core.Features;
using MusicDna.Engine.Snapshots;
using Contract = MusicDna.Contracts.V1;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>
/// A Recommend row's track in protobuf's wire format, written straight from the track table: the stored UTF-8 of its
/// id, name and album is copied, not decoded into strings that serialization would encode again. The bytes are those
/// serializing <see cref="TrackMapper.ToContract(TrackFacts)"/> gives. They reach the client as the Recommendation's
/// field <c>track</c>, held in the message's unknown fields, which protobuf writes as they are (after the known fields:
/// parsers take fields in any order). On the server the message's <c>Track</c> property stays unset.
/// </summary>
internal static class TrackWire
{
    // The schema's features in AudioFeatures field-number order, the order generated code writes them in.
    private static readonly (int SchemaIndex, byte Tag)[] FeatureFields = [.. Enumerable.Range(0, FeatureSchema.Count)
        .Select(i => (SchemaIndex: i, Number: FeatureMapper.FieldNumber(i)))
        .OrderBy(f => f.Number)
        .Select(f => (f.SchemaIndex, Tag(f.Number, WireFormat.WireType.Fixed64)))];

    private static readonly int FeaturesLength = FeatureSchema.Count * (1 + sizeof(double));

    [ThreadStatic]
    private static byte[]? t_scratch;

    /// <summary>Puts the track of <paramref name="facts"/> into <paramref name="recommendation"/> as its field <c>track</c>.</summary>
    public static void Attach(Contract.Recommendation recommendation, TrackFacts facts)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        var artists = facts.Artists;
        var trackLength = TrackLength(facts, artists);
        var length = 1 + CodedOutputStream.ComputeLengthSize(trackLength) + trackLength;
        var scratch = t_scratch is { } buffer && buffer.Length >= length ? buffer : t_scratch = new byte[Math.Max(length, 1024)];
        var at = 0;
        scratch[at++] = Tag(Contract.Recommendation.TrackFieldNumber, WireFormat.WireType.LengthDelimited);
        at += WriteVarint(scratch.AsSpan(at), (uint)trackLength);
        at += WriteTrack(scratch.AsSpan(at), facts, artists);

        // Read back as one field: protobuf keeps a field it reads but does not know in the unknown-field set.
        var input = new CodedInputStream(scratch, 0, at);
        input.ReadTag();
        ref var unknown = ref UnknownFields(recommendation);
        unknown = UnknownFieldSet.MergeFieldFrom(unknown, input);
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_unknownFields")]
    private static extern ref UnknownFieldSet? UnknownFields(Contract.Recommendation message);

    private static int TrackLength(TrackFacts facts, IReadOnlyList<string> artists)
    {
        var length = TextLength(facts.TrackIdUtf8.Length) + TextLength(facts.NameUtf8.Length) + TextLength(facts.AlbumUtf8.Length)
            + (facts.Genre.Length == 0 ? 0 : 1 + CodedOutputStream.ComputeStringSize(facts.Genre));
        foreach (var artist in artists)
        {
            length += 1 + CodedOutputStream.ComputeStringSize(artist); // repeated: written even when empty
        }

        if (facts.Popularity != 0)
        {
            length += 1 + CodedOutputStream.ComputeInt32Size(facts.Popularity);
        }

        if (facts.Explicit)
        {
            length += 2;
        }

        if (facts.DurationMs != 0)
        {
            length += 1 + CodedOutputStream.ComputeInt64Size(facts.DurationMs);
        }

        return length + 1 + CodedOutputStream.ComputeLengthSize(FeaturesLength) + FeaturesLength;
    }

    private static int WriteTrack(Span<byte> output, TrackFacts facts, IReadOnlyList<string> artists)
    {
        var at = 0;
        at += WriteText(output[at..], Contract.Track.TrackIdFieldNumber, facts.TrackIdUtf8);
        at += WriteText(output[at..], Contract.Track.NameFieldNumber, facts.NameUtf8);
        foreach (var artist in artists)
        {
            at += WriteString(output[at..], Contract.Track.ArtistsFieldNumber, artist, always: true);
        }

        at += WriteText(output[at..], Contract.Track.AlbumFieldNumber, facts.AlbumUtf8);
        at += WriteString(output[at..], Contract.Track.GenreFieldNumber, facts.Genre, always: false);
        if (facts.Popularity != 0)
        {
            output[at++] = Tag(Contract.Track.PopularityFieldNumber, WireFormat.WireType.Varint);
            at += WriteVarint(output[at..], (ulong)(long)facts.Popularity);
        }

        if (facts.Explicit)
        {
            output[at++] = Tag(Contract.Track.ExplicitFieldNumber, WireFormat.WireType.Varint);
            output[at++] = 1;
        }

        if (facts.DurationMs != 0)
        {
            output[at++] = Tag(Contract.Track.DurationMsFieldNumber, WireFormat.WireType.Varint);
            at += WriteVarint(output[at..], (ulong)facts.DurationMs);
        }

        output[at++] = Tag(Contract.Track.FeaturesFieldNumber, WireFormat.WireType.LengthDelimited);
        at += WriteVarint(output[at..], (uint)FeaturesLength);
        Span<double> features = stackalloc double[FeatureSchema.Count];
        facts.Features.CopyTo(features);
        foreach (var (schemaIndex, tag) in FeatureFields)
        {
            output[at++] = tag;
            BinaryPrimitives.WriteDoubleLittleEndian(output[at..], features[schemaIndex]);
            at += sizeof(double);
        }

        return at;
    }

    // proto3 strings: left out when empty.
    private static int TextLength(int bytes) => bytes == 0 ? 0 : 1 + CodedOutputStream.ComputeLengthSize(bytes) + bytes;

    private static int WriteText(Span<byte> output, int field, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return 0;
        }

        output[0] = Tag(field, WireFormat.WireType.LengthDelimited);
        var at = 1 + WriteVarint(output[1..], (uint)utf8.Length);
        utf8.CopyTo(output[at..]);
        return at + utf8.Length;
    }

    private static int WriteString(Span<byte> output, int field, string text, bool always)
    {
        if (text.Length == 0 && !always)
        {
            return 0;
        }

        output[0] = Tag(field, WireFormat.WireType.LengthDelimited);
        var bytes = Encoding.UTF8.GetByteCount(text);
        var at = 1 + WriteVarint(output[1..], (uint)bytes);
        return at + Encoding.UTF8.GetBytes(text, output[at..]);
    }

    // Every field written here is numbered 1-15, so each tag is one byte.
    private static byte Tag(int field, WireFormat.WireType wireType) => checked((byte)WireFormat.MakeTag(field, wireType));

    // Google.Protobuf computes varint sizes for us, but writes varints only to its own streams.
    private static int WriteVarint(Span<byte> output, ulong value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            output[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        output[at++] = (byte)value;
        return at;
    }
}
