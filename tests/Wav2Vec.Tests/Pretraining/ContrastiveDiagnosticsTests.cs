using TorchSharp;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class ContrastiveDiagnosticsTests
{
    const double Kappa = 0.1;

    public ContrastiveDiagnosticsTests() => TorchRuntime.Initialize();

    static readonly double R = Math.Sqrt(0.5);

    /// <summary>One utterance of three masked frames; each frame's two distractors are the other two frames.</summary>
    static Tensor Logits(float[] context, float[] quantized)
    {
        var mask = torch.ones(1, 3, ScalarType.Bool);
        var negatives = NegativeSampling.ToTensor([[[1, 2], [0, 2], [0, 1]]]);
        return ContrastiveLogits.Compute(torch.tensor(context, [1, 3, 2]), torch.tensor(quantized, [1, 3, 2]), mask, negatives, Kappa);
    }

    static double Std(params double[] xs) => Math.Sqrt(xs.Average(x => (x - xs.Average()) * (x - xs.Average())));

    [Fact]
    public void CosinesAndLogitSpreadAreThoseOfTheBatch()
    {
        using var scope = NewDisposeScope();
        // Targets (1, 0), (0, 1), (1, 1)/√2 and a context that predicts each exactly: positive cosine 1; distractor
        // cosines 0 and √½ for every frame.
        float[] q = [1, 0, 0, 1, (float)R, (float)R];
        var d = ContrastiveDiagnostics.From(Logits(q, q), Kappa);
        Assert.Equal(0.0, d.DistractorsEqual);
        Assert.Equal(1.0, d.PositiveCosine, 1e-6);
        Assert.Equal((0 + R + 0 + R + R + R) / 6, d.DistractorCosine, 1e-6);
        var spread = (Std(1, 0, R) + Std(1, 0, R) + Std(1, R, R)) / 3 / Kappa;
        Assert.Equal(spread, d.LogitsStd, 1e-5);
    }

    [Fact]
    public void AContextEquallySimilarToEveryCandidateLeavesNoGapAndNoSpread()
    {
        using var scope = NewDisposeScope();
        var d = ContrastiveDiagnostics.From(Logits([0, 1, 0, 1, 0, 1], [1, 0, 2, 0, 3, 0]), Kappa);
        Assert.Equal(0.0, d.PositiveCosine, 1e-6);
        Assert.Equal(0.0, d.DistractorCosine, 1e-6);
        Assert.Equal(0.0, d.LogitsStd, 1e-6);
    }

    [Fact]
    public void DistractorsWithThePositivesCodeVectorsAreCountedAndLeftOutOfTheCosine()
    {
        using var scope = NewDisposeScope();
        // Frames 0 and 2 share a target: frame 0's distractor 2 and frame 2's distractor 0 equal their positive.
        var d = ContrastiveDiagnostics.From(Logits([1, 0, 1, 0, 1, 0], [1, 0, 0, 1, 1, 0]), Kappa);
        Assert.Equal(2 / 6.0, d.DistractorsEqual, 1e-12);
        Assert.Equal((0 + 1 + 1 + 0) / 4.0, d.DistractorCosine, 1e-6);
    }

    [Fact]
    public void IdenticalTargetsBlockEveryDistractorAndMakeTheTaskLookSolved()
    {
        using var scope = NewDisposeScope();
        var logits = Logits([1, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]);
        var d = ContrastiveDiagnostics.From(logits, Kappa);
        Assert.Equal(1.0, d.DistractorsEqual);
        Assert.True(double.IsNaN(d.DistractorCosine));
        Assert.Equal(0.0, d.LogitsStd);
        // What the share warns about: a collapsed quantizer gives loss 0 and accuracy 1.
        Assert.Equal(0f, ContrastiveLoss.Sum(logits).item<float>());
        Assert.Equal(1f, ContrastiveLoss.Accuracy(logits).item<float>());
    }

    [Fact]
    public void NoMaskedFrameGivesNaNAndAWrongShapeIsAnError()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(ContrastiveDiagnostics.Empty, ContrastiveDiagnostics.From(torch.zeros(0, 11), Kappa));
        var error = Assert.Throws<ArgumentException>(() => ContrastiveDiagnostics.From(torch.zeros(5), Kappa));
        Assert.Contains("[N, 1 + K]", error.Message);
    }
}
