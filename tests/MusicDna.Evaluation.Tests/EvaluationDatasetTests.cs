using System.Text;
using MusicDna.Evaluation;

namespace MusicDna.Evaluation.Tests;

public sealed class EvaluationDatasetTests
{
    private const string Header =
        ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre";

    [Fact]
    public async Task A_repeated_track_id_keeps_its_first_position_and_its_last_row_genre_included()
    {
        var csv = string.Join('\n',
            Header,
            "0,a,X,Al,One,10,1000,False,0.1,0.2,1,-5,1,0.05,0.1,0,0.1,0.5,120,4,rock",
            "1,b,Y,Al,Two,10,1000,False,0.3,0.4,2,-6,0,0.05,0.1,0,0.1,0.5,100,4,jazz",
            "2,a,X,Al,One,10,1000,False,0.9,0.2,1,-5,1,0.05,0.1,0,0.1,0.5,120,4,punk",
            "3,c,Z,Al,Bad,10,1000,False,oops,0.2,1,-5,1,0.05,0.1,0,0.1,0.5,120,4,rock");

        var data = await EvaluationDataset.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);

        Assert.Equal(2, data.Count);
        Assert.Equal(4, data.RowsRead);
        Assert.Equal(1, data.RowsRejected);
        Assert.Equal(0.9, data.Features[0][0]);
        Assert.Equal("punk", data.GenreNames[data.Genres[0]]);
        Assert.Equal("jazz", data.GenreNames[data.Genres[1]]);
    }
}
