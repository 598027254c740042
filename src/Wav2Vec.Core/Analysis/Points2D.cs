using TorchSharp;
using static TorchSharp.torch;

namespace Wav2Vec.Analysis;

/// <summary>Converts 2-D embeddings to the point lists the scatter charts take.</summary>
public static class Points2D
{
    /// <summary>[N, 2] → N (x, y) pairs.</summary>
    public static IReadOnlyList<(double X, double Y)> From(Tensor embedding)
    {
        if (embedding.dim() != 2 || embedding.shape[1] != 2)
            throw new ArgumentException($"a 2-D embedding is [N, 2]; got shape [{string.Join(", ", embedding.shape)}].", nameof(embedding));
        using var values = embedding.to(ScalarType.Float64).cpu().contiguous();
        var flat = values.data<double>().ToArray();
        return [.. Enumerable.Range(0, flat.Length / 2).Select(i => (flat[2 * i], flat[2 * i + 1]))];
    }
}
