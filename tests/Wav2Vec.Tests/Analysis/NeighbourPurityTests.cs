using TorchSharp;
using Wav2Vec.Analysis;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Analysis;

public class NeighbourPurityTests
{
    [Fact]
    public void PurityCountsNeighboursThatShareTheLabel()
    {
        TorchRuntime.Initialize();
        // On a line: a a b b at 0, 1, 2.5, 10. Nearest neighbours: 0→1 (a), 1→0 (a), 2.5→1 (a), 10→2.5 (b).
        using var points = tensor(new double[] { 0, 1, 2.5, 10 }, [4, 1]);
        Assert.Equal(0.75, NeighbourPurity.Of(points, ["a", "a", "b", "b"], k: 1), 12);
        Assert.Equal(0.5, NeighbourPurity.Chance(["a", "a", "b", "b"]), 12);
    }

    [Fact]
    public void KAsLargeAsThePointCountIsAnError()
    {
        TorchRuntime.Initialize();
        using var points = zeros(3, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => NeighbourPurity.Of(points, ["a", "b", "c"], k: 3));
        Assert.Contains("among 3 points", error.Message);
    }
}
