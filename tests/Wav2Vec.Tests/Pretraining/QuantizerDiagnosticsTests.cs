using TorchSharp;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class QuantizerDiagnosticsTests
{
    const int Entries = 8;

    public QuantizerDiagnosticsTests() => TorchRuntime.Initialize();

    /// <summary>Logits [2, 300, 2·8]: every (frame, group) picks entry <c>frame % 8</c> with margin <paramref name="margin"/>.</summary>
    static Tensor Peaked(double margin) =>
        nn.functional.one_hot(torch.arange(300).remainder(Entries), Entries).to_type(ScalarType.Float32).mul(margin)
            .unsqueeze(1).expand(300, 2, Entries).reshape(1, 300, 2 * Entries).expand(2, 300, 2 * Entries);

    [Fact]
    public void FlatLogitsAgreeOnceInVDrawsAndHaveNoSpread()
    {
        using var scope = NewDisposeScope();
        var flat = torch.zeros(2, 300, 2 * Entries);
        Assert.Equal(1.0 / Entries, QuantizerDiagnostics.CodeAgreement(flat, Entries, null, seed: 1), 0.03);
        Assert.Equal(1.0 / Entries, QuantizerDiagnostics.ExpectedCodeAgreement(flat, Entries, null), 1e-6);
        Assert.Equal(0.0, QuantizerDiagnostics.LogitsStd(flat, Entries, null), 1e-6);
    }

    [Fact]
    public void ConfidentLogitsAlwaysAgree()
    {
        using var scope = NewDisposeScope();
        var confident = Peaked(30);
        Assert.Equal(1.0, QuantizerDiagnostics.CodeAgreement(confident, Entries, null, seed: 1));
        Assert.Equal(1.0, QuantizerDiagnostics.ExpectedCodeAgreement(confident, Entries, null), 1e-6);
        // One entry at 30, seven at 0: population std 30·√7/8.
        Assert.Equal(30 * Math.Sqrt(7) / 8, QuantizerDiagnostics.LogitsStd(confident, Entries, null), 1e-4);
    }

    [Fact]
    public void SampledAgreementEstimatesTheSumOfSquaredSoftmaxProbabilities()
    {
        using var scope = NewDisposeScope();
        var logits = torch.randn(8, 1000, 2 * Entries, generator: new Generator(5)) * 1.5;
        var expected = QuantizerDiagnostics.ExpectedCodeAgreement(logits, Entries, null);
        Assert.InRange(expected, 0.25, 0.75);
        // 16 000 (frame, group) pairs: the sampling error of the share is below 0.004.
        Assert.Equal(expected, QuantizerDiagnostics.CodeAgreement(logits, Entries, null, seed: 9), 0.015);
    }

    [Fact]
    public void SameSeedGivesTheSameAgreement()
    {
        using var scope = NewDisposeScope();
        var logits = torch.randn(2, 50, 2 * Entries, generator: new Generator(2));
        Assert.Equal(QuantizerDiagnostics.CodeAgreement(logits, Entries, null, 4), QuantizerDiagnostics.CodeAgreement(logits, Entries, null, 4));
    }

    [Fact]
    public void OnlyTheSelectedFramesCount()
    {
        using var scope = NewDisposeScope();
        var confidentFirstHalf = torch.cat([Peaked(30)[.., ..150], torch.zeros(2, 150, 2 * Entries)], 1);
        var firstHalf = torch.arange(300).lt(150).unsqueeze(0).expand(2, 300);
        Assert.Equal(1.0, QuantizerDiagnostics.CodeAgreement(confidentFirstHalf, Entries, firstHalf, seed: 3));
        Assert.Equal(1.0, QuantizerDiagnostics.ExpectedCodeAgreement(confidentFirstHalf, Entries, firstHalf), 1e-6);
        Assert.Equal(0.0, QuantizerDiagnostics.LogitsStd(confidentFirstHalf, Entries, firstHalf.logical_not()), 1e-6);
        Assert.True(double.IsNaN(QuantizerDiagnostics.ExpectedCodeAgreement(confidentFirstHalf, Entries, torch.zeros(2, 300, ScalarType.Bool))));
    }

    [Fact]
    public void MismatchedShapesAreErrorsNamingBothSizes()
    {
        using var scope = NewDisposeScope();
        var mask = Assert.Throws<ArgumentException>(() => QuantizerDiagnostics.LogitsStd(torch.zeros(2, 30, 16), Entries, torch.ones(2, 20, ScalarType.Bool)));
        Assert.Contains("frame mask has 40 frames, the logits 60", mask.Message);
        var width = Assert.Throws<ArgumentException>(() => QuantizerDiagnostics.LogitsStd(torch.zeros(2, 30, 12), Entries, null));
        Assert.Contains("12 columns, not a multiple of 8", width.Message);
    }
}
