using TorchSharp;
using Wav2Vec.Analysis;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Analysis;

public class CodebookUsageTests
{
    [Fact]
    public void CountsTallyEachGroupsChosenEntries()
    {
        TorchRuntime.Initialize();
        using var indices = tensor(new long[] { 0, 3, 0, 1, 2, 3, 0, 3 }, [4, 2]);
        var counts = CodebookUsage.Counts(indices, entries: 4);
        Assert.Equal(new double[,] { { 3, 0, 1, 0 }, { 0, 1, 0, 3 } }, counts);
    }

    [Fact]
    public void PerUtteranceRowsAreFrequenciesOfOneGroup()
    {
        TorchRuntime.Initialize();
        using var first = tensor(new long[] { 0, 1, 0, 1, 2, 1 }, [3, 2]);
        using var second = tensor(new long[] { 3, 0 }, [1, 2]);
        var usage = CodebookUsage.PerUtterance([first, second], group: 0, entries: 4);
        Assert.Equal(new double[,] { { 2.0 / 3, 0, 1.0 / 3, 0 }, { 0, 0, 0, 1 } }, usage);
    }

    [Fact]
    public void IndexOutsideTheCodebookIsAnError()
    {
        TorchRuntime.Initialize();
        using var indices = tensor(new long[] { 0, 4 }, [1, 2]);
        var error = Assert.Throws<ArgumentException>(() => CodebookUsage.Counts(indices, entries: 4));
        Assert.Contains("[0, 4)", error.Message);
    }
}
