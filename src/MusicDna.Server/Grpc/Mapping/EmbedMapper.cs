using MusicDna.Contracts.V1;
using MusicDna.Engine.Embedding;

namespace MusicDna.Server.Grpc.Mapping;

/// <summary>An embedded batch → EmbedResponse.</summary>
internal static class EmbedMapper
{
    public static EmbedResponse ToContract(EmbeddingBatch batch)
    {
        var response = new EmbedResponse { ModelVersion = batch.ModelVersion };
        for (var i = 0; i < batch.Count; i++)
        {
            response.Embeddings.Add(new Embedding { Values = { batch[i].ToArray() } });
        }

        return response;
    }
}
