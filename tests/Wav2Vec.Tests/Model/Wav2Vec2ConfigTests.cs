using System.Text.Json;
using System.Text.Json.Nodes;
using Wav2Vec.Model;

namespace Wav2Vec.Tests.Model;

public class Wav2Vec2ConfigTests
{
    /// <summary>A complete Hugging Face config.json as transformers writes it (facebook/wav2vec2-base-960h style).</summary>
    const string HubConfig = """
        {
          "_name_or_path": "facebook/wav2vec2-base-960h", "activation_dropout": 0.1, "adapter_kernel_size": 3,
          "adapter_stride": 2, "add_adapter": false, "apply_spec_augment": true, "architectures": ["Wav2Vec2ForCTC"],
          "attention_dropout": 0.1, "bos_token_id": 1, "classifier_proj_size": 256, "codevector_dim": 256,
          "contrastive_logits_temperature": 0.1, "conv_bias": false, "conv_dim": [512, 512, 512, 512, 512, 512, 512],
          "conv_kernel": [10, 3, 3, 3, 3, 2, 2], "conv_stride": [5, 2, 2, 2, 2, 2, 2], "ctc_loss_reduction": "sum",
          "ctc_zero_infinity": false, "diversity_loss_weight": 0.1, "do_stable_layer_norm": false, "eos_token_id": 2,
          "feat_extract_activation": "gelu", "feat_extract_dropout": 0.0, "feat_extract_norm": "group",
          "feat_proj_dropout": 0.1, "feat_quantizer_dropout": 0.0, "final_dropout": 0.1, "gradient_checkpointing": false,
          "hidden_act": "gelu", "hidden_dropout": 0.1, "hidden_dropout_prob": 0.1, "hidden_size": 768,
          "initializer_range": 0.02, "intermediate_size": 3072, "layer_norm_eps": 1e-05, "layerdrop": 0.1,
          "mask_feature_length": 10, "mask_feature_min_masks": 0, "mask_feature_prob": 0.0, "mask_time_length": 10,
          "mask_time_min_masks": 2, "mask_time_prob": 0.05, "model_type": "wav2vec2", "num_adapter_layers": 3,
          "num_attention_heads": 12, "num_codevector_groups": 2, "num_codevectors_per_group": 320,
          "num_conv_pos_embedding_groups": 16, "num_conv_pos_embeddings": 128, "num_feat_extract_layers": 7,
          "num_hidden_layers": 12, "num_negatives": 100, "output_hidden_size": 768, "pad_token_id": 0,
          "proj_codevector_dim": 256, "tdnn_dilation": [1, 2, 3, 1, 1], "tdnn_dim": [512, 512, 512, 512, 1500],
          "tdnn_kernel": [5, 3, 3, 1, 1], "torch_dtype": "float32", "transformers_version": "4.31.0",
          "use_weighted_layer_sum": false, "vocab_size": 32, "xvector_output_dim": 512, "feature_grad_mult": 0.1
        }
        """;

    static void AssertSameFields(string original, string saved)
    {
        var before = JsonNode.Parse(original)!.AsObject();
        var after = JsonNode.Parse(saved)!.AsObject();
        foreach (var (key, value) in before)
        {
            Assert.True(after.ContainsKey(key), $"field '{key}' was dropped");
            Assert.True(JsonNode.DeepEquals(Normalize(value), Normalize(after[key])), $"field '{key}': {value?.ToJsonString()} became {after[key]?.ToJsonString()}");
        }
    }

    /// <summary>Numbers compare by value (1e-05 and 1E-05 are the same JSON number).</summary>
    static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(v.GetValue<double>()),
        JsonArray a => new JsonArray(a.Select(Normalize).ToArray()),
        _ => node?.DeepClone(),
    };

    [Fact]
    public void HubConfigSavesEveryFieldWithItsValueAndReloadsEqual()
    {
        var config = Wav2Vec2Config.FromJson(HubConfig);
        Assert.Equal(0.1, config.FeatureGradMult);
        Assert.Equal("facebook/wav2vec2-base-960h", config.Extra["_name_or_path"].GetString());
        var saved = config.ToJson();
        AssertSameFields(HubConfig, saved);
        Assert.Equal(JsonNode.Parse(HubConfig)!.AsObject().Count, JsonNode.Parse(saved)!.AsObject().Count);
        Assert.Equal(config, Wav2Vec2Config.FromJson(saved));
    }

    [Fact]
    public void FixtureConfigKeepsUnknownFieldsThroughASaveToDisk()
    {
        var path = Path.Combine(Fixture.Dir(), "config.json");
        var config = Wav2Vec2Config.Load(path);
        var copy = Path.GetTempFileName();
        try
        {
            config.Save(copy);
            AssertSameFields(File.ReadAllText(path), File.ReadAllText(copy));
            Assert.Equal(config, Wav2Vec2Config.Load(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void VariationWithWithChangesOnlyThatFieldAndEqualityIsByValue()
    {
        var a = Wav2Vec2Presets.Tiny();
        var b = a with { MaskTimeProb = 0.5 };
        Assert.NotEqual(a, b);
        Assert.Equal(a, b with { MaskTimeProb = a.MaskTimeProb });
        Assert.Equal(a, Wav2Vec2Presets.Tiny());
        Assert.Equal(a.GetHashCode(), Wav2Vec2Presets.Tiny().GetHashCode());
    }

    [Theory]
    [InlineData("""{"conv_kernel": [10, 3]}""", "conv_kernel")]
    [InlineData("""{"num_attention_heads": 5}""", "num_attention_heads")]
    [InlineData("""{"feat_extract_norm": "batch"}""", "feat_extract_norm")]
    [InlineData("""{"hidden_act": "mish"}""", "hidden_act")]
    [InlineData("""{"mask_time_prob": 1.5}""", "mask_time_prob")]
    [InlineData("""{"codevector_dim": 255}""", "num_codevector_groups")]
    [InlineData("""{"num_conv_pos_embedding_groups": 7}""", "num_conv_pos_embedding_groups")]
    [InlineData("""{"num_feat_extract_layers": 6}""", "num_feat_extract_layers")]
    [InlineData("""{"pad_token_id": 40}""", "pad_token_id")]
    [InlineData("""{"add_adapter": true}""", "add_adapter")]
    [InlineData("""{"model_type": "bert"}""", "model_type")]
    [InlineData("""{"num_hidden_layers": 1000000}""", "num_hidden_layers")]
    [InlineData("""{"conv_kernel": [1000000, 3, 3, 3, 3, 2, 2]}""", "conv_kernel")]
    [InlineData("""{"num_conv_pos_embeddings": 1000000}""", "num_conv_pos_embeddings")]
    [InlineData("""{"hidden_size": 1000000000, "num_attention_heads": 1, "num_conv_pos_embedding_groups": 1}""", "hidden_size")]
    [InlineData("""{"intermediate_size": 1000000000}""", "intermediate_size")]
    [InlineData("""{"vocab_size": 1000000000}""", "vocab_size")]
    [InlineData("""{"num_codevectors_per_group": 1000000000}""", "num_codevectors_per_group")]
    [InlineData("""{"conv_dim": [1000000, 512, 512, 512, 512, 512, 512]}""", "conv_dim")]
    [InlineData("""{"conv_stride": [1000, 1000, 2, 2, 2, 2, 2]}""", "conv_stride")]
    [InlineData("""{"num_negatives": 1000000}""", "num_negatives")]
    [InlineData("""{"mask_time_min_masks": 1000000000}""", "mask_time_min_masks")]
    public void InvalidFieldIsRejectedWithItsNameAndTheFileBeforeAnythingIsAllocated(string json, string field)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ArgumentException>(() => Wav2Vec2Config.FromJson(json, "my/config.json"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 4 << 20, "validation allocated more than 4 MB");
        Assert.Contains($"'{field}'", e.Message);
        Assert.Contains("my/config.json", e.Message);
    }

    [Fact]
    public void MalformedJsonNamesTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() => Wav2Vec2Config.FromJson("""{"hidden_size": "big"}""", "x/config.json"));
        Assert.Contains("x/config.json", e.Message);
    }
}
