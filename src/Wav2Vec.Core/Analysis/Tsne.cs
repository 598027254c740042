using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Analysis;

/// <summary>Settings of <see cref="Tsne.Embed"/> (defaults as in van der Maaten &amp; Hinton, 2008, and scikit-learn).</summary>
/// <param name="Perplexity">Effective number of neighbours each point's Gaussian covers (must be below N).</param>
/// <param name="Iterations">Gradient steps in all.</param>
/// <param name="EarlyExaggeration">Factor on P during the first <paramref name="ExaggerationIterations"/> steps, so clusters form first.</param>
/// <param name="ExaggerationIterations">Steps with exaggeration and momentum 0.5 (then 0.8).</param>
/// <param name="LearningRate">Step size; null picks max(N / exaggeration / 4, 50) (scikit-learn's "auto").</param>
/// <param name="Seed">Seed of the random initial layout: equal seeds give equal embeddings.</param>
public sealed record TsneOptions(
    double Perplexity = 30, int Iterations = 1000, double EarlyExaggeration = 12, int ExaggerationIterations = 250,
    double? LearningRate = null, long Seed = 0);

/// <summary>A t-SNE embedding and the KL divergence it reached.</summary>
/// <param name="Embedding">[N, 2] float64 coordinates, centred.</param>
/// <param name="KlDivergence">KL(P ‖ Q) after the last step (without exaggeration).</param>
public sealed record TsneResult(Tensor Embedding, double KlDivergence) : IDisposable
{
    /// <summary>Frees the embedding.</summary>
    public void Dispose() => Embedding.Dispose();
}

/// <summary>
/// Exact t-SNE (van der Maaten &amp; Hinton, 2008) in TorchSharp: O(N²) memory and time, fine for a few thousand
/// frames. Written by hand because no served NuGet package provides t-SNE. Affinities P are calibrated per point by
/// binary search on the Gaussian precision to the requested perplexity; the layout follows the KL gradient with
/// early exaggeration, momentum and per-coordinate gains. Deterministic for a seed on the CPU.
/// </summary>
public static class Tsne
{
    /// <summary>Embeds <paramref name="x"/> [N, D] in 2 dimensions.</summary>
    public static TsneResult Embed(Tensor x, TsneOptions? options = null)
    {
        options ??= new TsneOptions();
        if (x.dim() != 2) throw new ArgumentException($"t-SNE needs a [N, D] matrix; got shape [{string.Join(", ", x.shape)}].", nameof(x));
        var n = x.shape[0];
        if (n < 3 || options.Perplexity >= n - 1)
            throw new ArgumentException($"perplexity {options.Perplexity} needs more than {options.Perplexity + 1} points; got {n}.", nameof(options));
        using var scope = NewDisposeScope();
        var p = JointProbabilities(x, options.Perplexity);
        var learningRate = options.LearningRate ?? Math.Max(n / options.EarlyExaggeration / 4, 50);
        using var generator = new Generator((ulong)options.Seed);
        var y = randn([n, 2], ScalarType.Float64, generator: generator) * 1e-4;
        var update = zeros_like(y);
        var gains = ones_like(y);
        var exaggerated = p * options.EarlyExaggeration;
        for (var step = 0; step < options.Iterations; step++)
        {
            using var stepScope = NewDisposeScope();
            var early = step < options.ExaggerationIterations;
            var gradient = Gradient(early ? exaggerated : p, y);
            // Delta-bar-delta gains: grow where the gradient keeps pointing against the last step, shrink otherwise.
            var flipped = (gradient > 0).not_equal(update > 0);
            var newGains = where(flipped, gains + 0.2, gains * 0.8).clamp_min(0.01);
            var newUpdate = (early ? 0.5 : 0.8) * update - learningRate * newGains * gradient;
            var newY = y + newUpdate;
            Tensor[] previous = [y, update, gains];
            (y, update, gains) = (newY.MoveToOuterDisposeScope(), newUpdate.MoveToOuterDisposeScope(), newGains.MoveToOuterDisposeScope());
            foreach (var t in previous) t.Dispose();
        }
        var kl = KlDivergence(p, y);
        var centred = y - y.mean([0], keepdim: true);
        return new TsneResult(centred.DetachFromDisposeScope(), kl);
    }

    /// <summary>
    /// Symmetric joint affinities [N, N] of <paramref name="x"/> [N, D]: p_ij = (p_j|i + p_i|j) / 2N from
    /// <see cref="ConditionalProbabilities"/>.
    /// </summary>
    public static Tensor JointProbabilities(Tensor x, double perplexity)
    {
        using var scope = NewDisposeScope();
        var conditional = ConditionalProbabilities(x, perplexity);
        var joint = (conditional + conditional.t()) / (2 * x.shape[0]);
        return joint.clamp_min(1e-12).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Row-stochastic p_j|i [N, N] (zero diagonal) of <paramref name="x"/> [N, D] in float64: each row a Gaussian over
    /// squared distances whose precision β_i is found by bisection (all rows at once) so that the row's entropy is
    /// log(<paramref name="perplexity"/>).
    /// </summary>
    public static Tensor ConditionalProbabilities(Tensor x, double perplexity)
    {
        using var scope = NewDisposeScope();
        x = x.to(ScalarType.Float64).cpu();
        var n = x.shape[0];
        var distances = SquaredDistances(x);
        // Shifting each row by its nearest-neighbour distance leaves the conditional distribution unchanged and keeps exp() in range.
        distances.diagonal().fill_(double.PositiveInfinity);
        var shifted = distances.sub_(distances.min(1, keepdim: true).values);
        shifted.diagonal().zero_();
        var target = Math.Log(perplexity);
        var beta = ones(n, 1, ScalarType.Float64);
        var low = zeros(n, 1, ScalarType.Float64);
        var high = full(n, 1, double.PositiveInfinity, ScalarType.Float64);
        // The N × N temporaries are updated in place: at a few thousand points each is tens of megabytes.
        Tensor Weights(Tensor precision)
        {
            var weights = shifted.mul(precision).neg_().exp_();
            weights.diagonal().zero_();
            return weights;
        }
        for (var i = 0; i < 100; i++)
        {
            using var stepScope = NewDisposeScope();
            var weights = Weights(beta);
            var total = weights.sum(1, keepdim: true);
            var entropy = total.log() + beta * weights.mul_(shifted).sum(1, keepdim: true) / total;
            if ((entropy - target).abs().max().item<double>() < 1e-6) break;
            // Too flat (entropy above target) → sharpen: raise β; otherwise lower it.
            var raise = entropy > target;
            low = where(raise, beta, low).MoveToOuterDisposeScope();
            high = where(raise, high, beta).MoveToOuterDisposeScope();
            beta = where(high.isinf(), beta * 2, (low + high) / 2).MoveToOuterDisposeScope();
        }
        var conditional = Weights(beta);
        conditional.div_(conditional.sum(1, keepdim: true));
        return conditional.MoveToOuterDisposeScope();
    }

    /// <summary>‖a_i − a_j‖² [N, N] of the rows of <paramref name="a"/> [N, D], clamped at 0 against rounding.</summary>
    static Tensor SquaredDistances(Tensor a)
    {
        var squared = a.square().sum(1, keepdim: true);
        return a.matmul(a.t()).mul_(-2).add_(squared).add_(squared.t()).clamp_min_(0);
    }

    /// <summary>The Student-t kernel (1 + ‖y_i − y_j‖²)⁻¹ [N, N] with a zero diagonal: Q before normalisation.</summary>
    static Tensor StudentKernel(Tensor y)
    {
        var kernel = SquaredDistances(y).add_(1).reciprocal_();
        kernel.diagonal().zero_();
        return kernel;
    }

    /// <summary>The KL gradient 4 Σ_j (p_ij − q_ij)(1 + ‖y_i − y_j‖²)⁻¹ (y_i − y_j), [N, 2].</summary>
    static Tensor Gradient(Tensor p, Tensor y)
    {
        using var scope = NewDisposeScope();
        var kernel = StudentKernel(y);
        var total = kernel.sum();
        // (p − q) ∘ kernel with q = kernel / total, without a third N × N buffer.
        var w = p.mul(kernel).sub_(kernel.pow_(2).div_(total));
        var gradient = (w.sum(1, keepdim: true) * y - w.matmul(y)).mul_(4);
        return gradient.MoveToOuterDisposeScope();
    }

    /// <summary>KL(P ‖ Q) of the layout <paramref name="y"/>.</summary>
    static double KlDivergence(Tensor p, Tensor y)
    {
        using var scope = NewDisposeScope();
        var kernel = StudentKernel(y);
        var q = kernel.div_(kernel.sum()).clamp_min_(1e-12);
        return (p * (p / q).log()).sum().item<double>();
    }
}
