using TorchSharp;
using Wav2Vec.Masking;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

public class ObjectiveTests
{
    public ObjectiveTests() => TorchRuntime.Initialize();

    static Tensor Vectors(float[][] rows) =>
        torch.tensor(rows.SelectMany(r => r).ToArray(), new long[] { 1, rows.Length, rows[0].Length });

    static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() /
        (Math.Sqrt(a.Sum(x => (double)x * x)) * Math.Sqrt(b.Sum(x => (double)x * x)));

    // One utterance, 4 frames, D = 3; frames 0, 1 and 3 masked.
    static readonly float[][] Context = [[1, 0, 0], [0, 2, 1], [5, 5, 5], [-1, 0.5f, 2]];
    static readonly float[][] Quantized = [[1, 1, 0], [0, 1, 0], [3, 1, 2], [0.5f, -1, 1]];
    static readonly bool[][] Mask = [[true, true, false, true]];

    [Fact]
    public void LogitsAreCosineOverTemperatureWithThePositiveFirst()
    {
        int[][][] negatives = [[[1, 3], [0, 3], [2, 2], [0, 1]]];
        using var logits = ContrastiveLogits.Compute(Vectors(Context), Vectors(Quantized), SpanMasking.ToTensor(Mask),
            NegativeSampling.ToTensor(negatives), temperature: 0.1);
        Assert.Equal(new long[] { 3, 3 }, logits.shape);
        Assert.Equal(ScalarType.Float32, logits.dtype);
        var rows = new[] { 0, 1, 3 };
        for (int n = 0; n < 3; n++)
        {
            var t = rows[n];
            var expected = new[] { t }.Concat(negatives[0][t]).Select(j => Cosine(Context[t], Quantized[j]) / 0.1).ToArray();
            for (int k = 0; k < 3; k++)
                Assert.Equal(expected[k], logits[n, k].item<float>(), 4);
        }
    }

    [Fact]
    public void DistractorEqualToThePositiveGetsMinusInfinity()
    {
        float[][] quantized = [[1, 1, 0], [1, 1, 0], [3, 1, 2], [0.5f, -1, 1]]; // frame 1 has frame 0's code vector
        int[][][] negatives = [[[1, 3], [0, 3], [2, 2], [0, 1]]];
        using var logits = ContrastiveLogits.Compute(Vectors(Context), Vectors(quantized), SpanMasking.ToTensor(Mask),
            NegativeSampling.ToTensor(negatives), 0.1);
        Assert.True(float.IsNegativeInfinity(logits[0, 1].item<float>()));  // frame 0's distractor frame 1
        Assert.True(float.IsNegativeInfinity(logits[1, 1].item<float>()));  // frame 1's distractor frame 0
        Assert.True(float.IsFinite(logits[0, 0].item<float>()) && float.IsFinite(logits[0, 2].item<float>()));
        using var loss = ContrastiveLoss.Sum(logits);
        Assert.True(float.IsFinite(loss.item<float>()));
    }

    [Fact]
    public void ChanceCountsOnlyTheDistractorsLeftSoACollapsedCodebookIsNotLearning()
    {
        // Every frame's code is the same: each distractor equals its positive and is left out, so every frame is won
        // by default — accuracy 1 at chance 1, not 1 at chance 1/(K + 1).
        float[][] collapsed = [[1, 1, 0], [1, 1, 0], [1, 1, 0], [1, 1, 0]];
        int[][][] negatives = [[[1, 3], [0, 3], [2, 2], [0, 1]]];
        using var trivial = ContrastiveLogits.Compute(Vectors(Context), Vectors(collapsed), SpanMasking.ToTensor(Mask),
            NegativeSampling.ToTensor(negatives), 0.1);
        using var won = ContrastiveLoss.Accuracy(trivial);
        Assert.Equal(1f, won.item<float>());
        Assert.Equal((1.0, 0.0), ContrastiveLoss.Chance(trivial));

        // Frame 1 shares frame 0's code: frames 0 and 1 keep one of their two distractors, frame 3 both.
        float[][] partly = [[1, 1, 0], [1, 1, 0], [3, 1, 2], [0.5f, -1, 1]];
        using var logits = ContrastiveLogits.Compute(Vectors(Context), Vectors(partly), SpanMasking.ToTensor(Mask),
            NegativeSampling.ToTensor(negatives), 0.1);
        var (accuracy, contrastive) = ContrastiveLoss.Chance(logits);
        Assert.Equal((1 / 2.0 + 1 / 2.0 + 1 / 3.0) / 3, accuracy, 12);
        Assert.Equal((Math.Log(2) + Math.Log(2) + Math.Log(3)) / 3, contrastive, 12);

        // No equal distractor: the textbook levels.
        using var distinct = ContrastiveLogits.Compute(Vectors(Context), Vectors(Quantized), SpanMasking.ToTensor(Mask),
            NegativeSampling.ToTensor(negatives), 0.1);
        Assert.Equal(1.0 / 3, ContrastiveLoss.Chance(distinct).Accuracy, 12);
        Assert.Equal(Math.Log(3), ContrastiveLoss.Chance(distinct).Contrastive, 12);
    }

    [Fact]
    public void PositiveIdenticalToTheContextGivesAccuracyOne()
    {
        int[][][] negatives = [[[1, 3], [0, 3], [2, 2], [0, 1]]];
        using var logits = ContrastiveLogits.Compute(Vectors(Context), Vectors(Context), SpanMasking.ToTensor(Mask),
            NegativeSampling.ToTensor(negatives), 0.1);
        using var accuracy = ContrastiveLoss.Accuracy(logits);
        Assert.Equal(1f, accuracy.item<float>());
        using var reversed = ContrastiveLogits.Compute(-Vectors(Context), Vectors(Context), SpanMasking.ToTensor(Mask),
            NegativeSampling.ToTensor(negatives), 0.1);
        using var none = ContrastiveLoss.Accuracy(reversed);
        Assert.Equal(0f, none.item<float>());
    }

    [Fact]
    public void ContrastiveLossIsCrossEntropyWithThePositiveAtIndexZeroSummedOverMaskedFrames()
    {
        double[][] rows = [[2.0, 1.0, -1.0], [0.5, 3.0, 0.0], [1.0, double.NegativeInfinity, 1.0]];
        using var logits = torch.tensor(rows.SelectMany(r => r).Select(x => (float)x).ToArray(), new long[] { 3, 3 });
        var expected = rows.Sum(r => -(r[0] - Math.Log(r.Sum(Math.Exp))));
        using var loss = ContrastiveLoss.Sum(logits);
        Assert.Equal(expected, loss.item<float>(), 4);
        using var accuracy = ContrastiveLoss.Accuracy(logits);
        Assert.Equal(1 / 3f, accuracy.item<float>(), 5); // row 0 wins; row 1 loses; row 2 ties (counts as wrong)
    }

    [Fact]
    public void PerplexityIsGroupsTimesEntriesForUniformUseAndGroupsForCollapse()
    {
        using var uniform = torch.full(new long[] { 7, 2, 5 }, 0.2f);
        using var collapsed = torch.zeros(7, 2, 5);
        collapsed[.., .., 3] = torch.tensor(1f);
        using var uniformPerplexity = GumbelSoftmax.Perplexity(uniform, null);
        using var collapsedPerplexity = GumbelSoftmax.Perplexity(collapsed, null);
        Assert.Equal(10.0, uniformPerplexity.item<float>(), 3);
        Assert.Equal(2.0, collapsedPerplexity.item<float>(), 3);
        using var d0 = CodebookStatistics.DiversityLoss(uniformPerplexity, 2, 5);
        using var d1 = CodebookStatistics.DiversityLoss(collapsedPerplexity, 2, 5);
        Assert.Equal(0.0, d0.item<float>(), 4);
        Assert.Equal((10.0 - 2) / 10, d1.item<float>(), 4);
        using var single = CodebookStatistics.DiversityLoss(torch.tensor(1f), 1, 320);
        Assert.Equal(319.0 / 320, single.item<float>(), 1e-6);
    }

    [Fact]
    public void PerplexityAveragesOnlyTheSelectedFrames()
    {
        // Frames 0 and 1 pick entries 0 and 1 of one group of 2 (uniform: perplexity 2); frame 2 (unselected) picks 0.
        using var probabilities = torch.tensor(new float[] { 1, 0, 0, 1, 1, 0 }, new long[] { 3, 1, 2 });
        using var selected = torch.tensor(new[] { true, true, false });
        using var perplexity = GumbelSoftmax.Perplexity(probabilities, selected);
        Assert.Equal(2.0, perplexity.item<float>(), 3);
        var p = new[] { 2 / 3.0, 1 / 3.0 };
        using var all = GumbelSoftmax.Perplexity(probabilities, null);
        Assert.Equal(Math.Exp(-p.Sum(x => x * Math.Log(x))), all.item<float>(), 3);
    }

    [Fact]
    public void CodeUsageCountsDistinctEntriesPerGroup()
    {
        // G = 2, V = 4: group 0 uses {1, 3}, group 1 uses {0}: 3 of 8.
        using var codes = torch.tensor(new long[] { 1, 0, 3, 0, 1, 0 }, new long[] { 3, 2 });
        Assert.Equal(3 / 8.0, CodebookStatistics.CodeUsage(codes, 4), 10);
    }

    [Fact]
    public void FeaturePenaltyIsTheMeanOfSquaresInFloat32()
    {
        using var features = torch.tensor(new float[] { 1, -2, 3, 0 }, new long[] { 1, 2, 2 }).to_type(ScalarType.BFloat16);
        using var penalty = FeaturePenalty.Compute(features);
        Assert.Equal(ScalarType.Float32, penalty.dtype);
        Assert.Equal(14 / 4.0, penalty.item<float>(), 5);
    }
}
