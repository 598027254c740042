using System.Text.Json.Nodes;

namespace Wav2Vec.Model;

/// <summary>
/// The part of a <see cref="Wav2Vec2Config"/> that makes up the network a CTC model fine-tunes: its shapes, norms and
/// activations. Dropouts, masking, the quantizer, the objective and the vocabulary may differ between two models of
/// one architecture (fine-tuning sets the masking and the head anyway).
/// </summary>
public static class Wav2Vec2Architecture
{
    /// <summary>The Hugging Face fields compared.</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        "conv_dim", "conv_stride", "conv_kernel", "conv_bias", "feat_extract_norm", "feat_extract_activation",
        "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
        "num_conv_pos_embeddings", "num_conv_pos_embedding_groups", "do_stable_layer_norm",
    ];

    /// <summary>Each architecture field in which <paramref name="a"/> and <paramref name="b"/> differ, as <c>field a ≠ b</c>; empty when they agree.</summary>
    public static IReadOnlyList<string> Differences(Wav2Vec2Config a, Wav2Vec2Config b)
    {
        var (x, y) = (JsonNode.Parse(a.ToJson())!, JsonNode.Parse(b.ToJson())!);
        return Fields.Where(f => !JsonNode.DeepEquals(x[f], y[f]))
            .Select(f => $"{f} {x[f]?.ToJsonString() ?? "null"} ≠ {y[f]?.ToJsonString() ?? "null"}").ToList();
    }
}
