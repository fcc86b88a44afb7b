using Google.Protobuf;
using Google.Protobuf.Reflection;
using MusicDna.Contracts.V1;

namespace MusicDna.Contracts.Tests;

/// <summary>
/// The compiled contract against every released image in protos/released/: it may only grow (what buf breaking
/// checks on the .proto, checked here on what the .NET clients and server are actually built from).
/// </summary>
public sealed class ContractEvolutionTests
{
    public static TheoryData<string> ReleasedImages()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(Repository.Root, "protos", "released"), "v*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReleasedImages))]
    public void Every_released_message_keeps_its_fields_numbers_names_and_types(string image)
    {
        var (released, current) = Load(image);
        foreach (var message in released.MessageType)
        {
            var now = current.MessageType.SingleOrDefault(m => m.Name == message.Name);
            Assert.True(now is not null, $"message {message.Name} was removed");
            foreach (var field in message.Field)
            {
                var same = now.Field.SingleOrDefault(f => f.Number == field.Number);
                Assert.True(same is not null, $"{message.Name}.{field.Name} (= {field.Number}) was removed");
                Assert.Equal((field.Name, field.Type, field.Label, field.TypeName, field.HasOneofIndex, field.Proto3Optional),
                    (same.Name, same.Type, same.Label, same.TypeName, same.HasOneofIndex, same.Proto3Optional));
            }
        }
    }

    [Theory]
    [MemberData(nameof(ReleasedImages))]
    public void Every_released_enum_value_and_rpc_is_still_there_unchanged(string image)
    {
        var (released, current) = Load(image);
        foreach (var enumeration in released.EnumType)
        {
            var now = current.EnumType.Single(e => e.Name == enumeration.Name);
            Assert.All(enumeration.Value, value => Assert.Contains(now.Value, v => v.Number == value.Number && v.Name == value.Name));
        }

        foreach (var service in released.Service)
        {
            var now = current.Service.Single(s => s.Name == service.Name);
            foreach (var rpc in service.Method)
            {
                var same = now.Method.SingleOrDefault(m => m.Name == rpc.Name);
                Assert.True(same is not null, $"rpc {service.Name}.{rpc.Name} was removed");
                Assert.Equal((rpc.InputType, rpc.OutputType, rpc.ClientStreaming, rpc.ServerStreaming),
                    (same.InputType, same.OutputType, same.ClientStreaming, same.ServerStreaming));
            }
        }
    }

    private static (FileDescriptorProto Released, FileDescriptorProto Current) Load(string image)
    {
        // A buf image adds its own fields (bufExtension) to each file; they say nothing about the contract.
        var set = new JsonParser(JsonParser.Settings.Default.WithIgnoreUnknownFields(true)).Parse<FileDescriptorSet>(File.ReadAllText(Path.Combine(Repository.Root, "protos", "released", image)));
        var released = set.File.Single(f => f.Name == "musicdna/v1/musicdna.proto");
        return (released, MusicdnaReflection.Descriptor.ToProto());
    }
}
