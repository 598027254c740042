using System.Globalization;

namespace Wav2Vec.Model;

/// <summary>
/// What a <see cref="Wav2Vec2Config"/> costs in memory, computed from the config alone (nothing is allocated), and
/// the memory the process may still use. Counts are in float32 elements unless a name says bytes.
/// </summary>
public static class Wav2Vec2ConfigMemory
{
    /// <summary>Bytes per float32 element.</summary>
    const long Float = 4;

    /// <summary>
    /// Parameters of the shared network <c>wav2vec2.*</c> (feature encoder, projection, positional conv, Transformer,
    /// <c>masked_spec_embed</c> when masking is configured), exactly as <see cref="Wav2Vec2Model"/> registers them.
    /// </summary>
    public static long NetworkParameters(Wav2Vec2Config c)
    {
        double n = 0, inChannels = 1;
        for (var i = 0; i < c.ConvDim.Length; i++)
        {
            double channels = c.ConvDim[i];
            n += channels * inChannels * c.ConvKernel[i] + (c.ConvBias ? channels : 0);
            if (c.UsesLayerNormEncoder || i == 0) n += 2 * channels;
            inChannels = channels;
        }
        double h = c.HiddenSize, ffn = c.IntermediateSize, k = c.NumConvPosEmbeddings;
        n += 2 * inChannels + inChannels * h + h;                                  // feature projection: LayerNorm, Linear
        if (c.HasMaskedSpecEmbed) n += h;
        n += h * (h / c.NumConvPosEmbeddingGroups) * k + k + h;                    // positional conv: weight_v, weight_g, bias
        n += 2 * h;                                                                 // encoder LayerNorm
        n += c.NumHiddenLayers * (4 * (h * h + h) + 2 * h + (h * ffn + ffn + ffn * h + h) + 2 * h);
        return Clamp(n);
    }

    /// <summary>Parameters of the CTC head <c>lm_head</c> (Linear hidden → vocab).</summary>
    public static long CtcHeadParameters(Wav2Vec2Config c) => Clamp((double)c.HiddenSize * c.VocabSize + c.VocabSize);

    /// <summary>Parameters of the pre-training heads: quantizer (codevectors, weight_proj), <c>project_q</c>, <c>project_hid</c>.</summary>
    public static long PreTrainingHeadParameters(Wav2Vec2Config c)
    {
        double codes = (double)c.NumCodevectorGroups * c.NumCodevectorsPerGroup, dim = c.CodevectorDim, proj = c.ProjCodevectorDim;
        return Clamp(c.NumCodevectorsPerGroup * dim + (double)c.ConvDim[^1] * codes + codes + dim * proj + proj + (double)c.HiddenSize * proj + proj);
    }

    /// <summary>Bytes of float32 weights of the network with both kinds of head (an upper bound for either model).</summary>
    public static long WeightBytes(Wav2Vec2Config c) =>
        Clamp(Float * ((double)NetworkParameters(c) + CtcHeadParameters(c) + PreTrainingHeadParameters(c)));

    /// <summary>
    /// Upper estimate of the activation memory, in bytes, of one float32 inference pass (batch 1, no gradients) over
    /// <paramref name="samples"/> samples: the largest feature-encoder block with its input and norm/activation copies,
    /// then the kept hidden states of every layer, one layer's attention scores and probabilities
    /// (heads × T² twice), its projections and feed-forward, and the logits. Weights are not included.
    /// </summary>
    public static long InferenceBytes(Wav2Vec2Config c, long samples)
    {
        double length = samples, inChannels = 1, encoderPeak = 0;
        for (var i = 0; i < c.ConvDim.Length; i++)
        {
            var next = length < c.ConvKernel[i] ? 0 : Math.Floor((length - c.ConvKernel[i]) / c.ConvStride[i]) + 1;
            encoderPeak = Math.Max(encoderPeak, inChannels * length + 4.0 * c.ConvDim[i] * next);
            (length, inChannels) = (next, c.ConvDim[i]);
        }
        double t = length, h = c.HiddenSize;
        var transformer = (c.NumHiddenLayers + 1) * t * h + 2 * c.NumAttentionHeads * t * t + 8 * t * h + 2 * t * c.IntermediateSize;
        var outputs = 3 * t * inChannels + 4 * t * c.VocabSize;
        return Clamp(Float * (samples + encoderPeak + transformer + outputs));
    }

    /// <summary>
    /// Bytes this process may still allocate: the smaller of the kernel's <c>MemAvailable</c> (memory usable without
    /// swapping) and, inside a memory-limited cgroup, the room left under its limit; where neither can be read, the
    /// runtime's own view (<see cref="GC.GetGCMemoryInfo()"/>).
    /// </summary>
    public static long AvailableBytes()
    {
        var limits = new[] { MemAvailable(), CgroupRoom() }.OfType<long>().ToList();
        return limits.Count > 0 ? limits.Min() : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="source"/> when building <paramref name="c"/> (its
    /// weights, plus a second copy while initialising or loading them) needs more than <paramref name="availableBytes"/>.
    /// </summary>
    public static void EnsureWeightsFit(Wav2Vec2Config c, string source, long availableBytes)
    {
        var needed = Clamp(2.0 * WeightBytes(c));
        if (needed > availableBytes)
            throw new ArgumentException(
                $"{source}: this model needs ≈ {Format(needed)} to build (float32 weights of " +
                $"{(double)NetworkParameters(c) + CtcHeadParameters(c) + PreTrainingHeadParameters(c):N0} parameters, twice while " +
                $"initialising or loading), more than the {Format(availableBytes)} of memory available; reduce the size fields " +
                "(num_hidden_layers, hidden_size, intermediate_size, conv_dim, num_conv_pos_embeddings, vocab_size, codevectors).");
    }

    /// <summary>
    /// Throws <see cref="InsufficientMemoryException"/> when <paramref name="neededBytes"/> (an estimate for
    /// <paramref name="what"/>) exceeds <paramref name="availableBytes"/>; the message gives both.
    /// </summary>
    public static void EnsureFits(long neededBytes, string what, long availableBytes)
    {
        if (neededBytes > availableBytes)
            throw new InsufficientMemoryException(
                $"{what} needs ≈ {Format(neededBytes)} of memory (estimate), more than the {Format(availableBytes)} available.");
    }

    /// <summary>Bytes as a short human-readable size, e.g. <c>1.3 GB</c>.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
    };

    static long Clamp(double value) => value >= long.MaxValue ? long.MaxValue : (long)Math.Ceiling(value);

    static long? MemAvailable()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts is [_, var kb, "kB"] && long.TryParse(kb, CultureInfo.InvariantCulture, out var value) ? value * 1024 : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    static long? CgroupRoom()
    {
        try
        {
            const string folder = "/sys/fs/cgroup";
            var max = Path.Combine(folder, "memory.max");
            var current = Path.Combine(folder, "memory.current");
            if (!File.Exists(max) || !File.Exists(current)) return null;
            return long.TryParse(File.ReadAllText(max).Trim(), CultureInfo.InvariantCulture, out var limit)
                   && long.TryParse(File.ReadAllText(current).Trim(), CultureInfo.InvariantCulture, out var used)
                ? Math.Max(0, limit - used)
                : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
