using Google.Protobuf.Reflection;
using MusicDna.Contracts.V1;

namespace MusicDna.Contracts.Tests;

/// <summary>Rules of the contract that the server's validation and every client rely on.</summary>
public sealed class ContractConventionTests
{
    private static readonly FileDescriptor Contract = MusicdnaReflection.Descriptor;

    [Fact]
    public void The_contract_is_versioned_as_musicdna_v1()
    {
        Assert.Equal("musicdna.v1", Contract.Package);
        Assert.Equal("musicdna.v1.MusicDnaService", MusicDnaService.Descriptor.FullName);
    }

    [Fact]
    public void Every_audio_feature_has_presence_so_an_unset_feature_is_told_apart_from_zero()
    {
        var fields = AudioFeatures.Descriptor.Fields.InDeclarationOrder();
        Assert.Equal(12, fields.Count);
        Assert.All(fields, f => Assert.True(f.HasPresence, $"AudioFeatures.{f.Name} has no presence"));
        Assert.All(fields, f => Assert.Equal(FieldType.Double, f.FieldType));
    }

    [Fact]
    public void Every_enum_starts_with_an_unspecified_zero_value()
    {
        foreach (var enumeration in Contract.EnumTypes.Concat(Contract.MessageTypes.SelectMany(m => m.EnumTypes)))
        {
            var zero = enumeration.FindValueByNumber(0);
            Assert.NotNull(zero);
            Assert.EndsWith("_UNSPECIFIED", zero.Name, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_streamed_response_is_a_oneof_of_its_items_and_one_closing_message()
    {
        foreach (var rpc in MusicDnaService.Descriptor.Methods.Where(m => m.IsServerStreaming))
        {
            var oneofs = rpc.OutputType.Oneofs;
            Assert.Single(oneofs);
            Assert.Equal(rpc.OutputType.Fields.InDeclarationOrder().Count, oneofs[0].Fields.Count);
        }
    }
}
