using TorchSharp;
using Wav2Vec.Audio;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Pretraining;
using Wav2Vec.Tests.Audio;
using Wav2Vec.Tests.Experiments;
using static TorchSharp.torch;

namespace Wav2Vec.Tests.Pretraining;

/// <summary>Compares libtorch's global generator before and after probing, so it runs alone.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class DevProbeTests
{
    const int Rows = 4, Crop = 8000;

    static readonly Lazy<string> Corpus = new(() => TinyCorpus.Create(count: 6));

    static DevProbe Probe(long seed = 3, int crop = Crop) =>
        DevProbe.FromManifest(Corpus.Value, "train", MicroPretraining.Config, MicroPretraining.Masking, MicroPretraining.Objective,
            new DevProbeOptions(Rows, crop, seed));

    static (string, double)[] Metrics(DevProbeResult result) => result.ToMetrics().Select(m => (m.Key, m.Value)).ToArray();

    [Fact]
    public void ProbeMeasuresInEvalModeWithoutNoiseAndRestoresEveryModulesMode()
    {
        var probe = Probe();
        using var model = MicroPretraining.Model();
        model.train();
        model.Quantizer!.eval();
        var modules = model.modules().Prepend(model).ToList();
        var modes = modules.Select(m => m.training).ToList();
        using var rngBefore = torch.get_rng_state();

        var first = probe.Measure(model);
        Assert.Equal(modes, modules.Select(m => m.training));
        var second = probe.Measure(model);
        using var rngAfter = torch.get_rng_state();

        Assert.Equal(Metrics(first), Metrics(second));
        Assert.Equal(rngBefore.bytes.ToArray(), rngAfter.bytes.ToArray());
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
        model.eval();
        Assert.Equal(Metrics(first), Metrics(probe.Measure(model)));
    }

    [Fact]
    public void SameSeedGivesTheSameBatchAnotherSeedAnother()
    {
        using var model = MicroPretraining.Model();
        var again = Metrics(Probe(seed: 3).Measure(model));
        Assert.Equal(Metrics(Probe(seed: 3).Measure(model)), again);
        Assert.NotEqual(Metrics(Probe(seed: 4).Measure(model)), again);
    }

    [Fact]
    public void ReportsChanceLevelsAndDevMetricNames()
    {
        var probe = Probe();
        Assert.Equal((Rows, Crop), (probe.Rows, probe.Samples));
        using var model = MicroPretraining.Model();
        var result = probe.Measure(model);
        // K = 10; distractors equal to their positive (a micro codebook has few codes) leave the task and raise chance:
        // by Jensen's inequality the mean of 1/(1 + n) is at least 1/(1 + mean n), the mean of ln(1 + n) at most ln(1 + mean n).
        var left = 10 * (1 - result.Diagnostics.Contrastive.DistractorsEqual);
        if (result.Diagnostics.Contrastive.DistractorsEqual == 0)
            Assert.Equal((1.0 / 11, Math.Log(11)), (result.ChanceAccuracy, result.ChanceContrastive));
        Assert.InRange(result.ChanceAccuracy, 1 / (1 + left) - 1e-9, 1.0);
        Assert.InRange(result.ChanceContrastive, 0.0, Math.Log(1 + left) + 1e-9);
        Assert.True(result.ChanceAccuracy >= 1.0 / 11 && result.ChanceContrastive <= Math.Log(11));
        Assert.InRange(result.Accuracy, 0.0, 1.0);
        Assert.InRange(result.Perplexity, 2.0, 16.0);
        var names = result.ToMetrics().Select(m => m.Key).ToList();
        Assert.Equal(["dev_accuracy", "dev_contrastive", "dev_chance_accuracy", "dev_chance_contrastive", "dev_contrastive_over_chance", "dev_perplexity"],
            names.Take(6));
        Assert.Equal(result.Contrastive - result.ChanceContrastive, result.ToMetrics().Single(m => m.Key == "dev_contrastive_over_chance").Value);
        Assert.Contains("dev_code_agreement", names);
        Assert.Contains("dev_cosine_positive", names);
        Assert.DoesNotContain(names, n => n.StartsWith("dev_grad_norm", StringComparison.Ordinal));
    }

    [Fact]
    public void ABestRqModelIsMeasuredOnTheSameBatchInEvalModeWithItsOwnChanceLevel()
    {
        var probe = Probe();
        using var model = new Wav2Vec2ForBestRq(MicroPretraining.Config,
            new PretrainObjectiveSpec(PretrainObjectiveSpec.BestRq, CodebookSize: 32, CodebookDim: 8, Features: PretrainObjectiveSpec.CnnFrozen));
        model.train();
        var modules = model.modules().Prepend(model).ToList();
        var modes = modules.Select(m => m.training).ToList();
        using var rngBefore = torch.get_rng_state();

        var first = probe.Measure(model);
        Assert.Equal(modes, modules.Select(m => m.training));
        Assert.Equal(first, probe.Measure(model));
        using var rngAfter = torch.get_rng_state();
        Assert.Equal(rngBefore.bytes.ToArray(), rngAfter.bytes.ToArray());
        Assert.All(model.parameters(), p => Assert.Null(p.grad));

        Assert.InRange(first.Accuracy, 0.0, 1.0);
        Assert.InRange(first.ChanceAccuracy, 1.0 / 32, 1.0);
        Assert.InRange(first.CodePerplexity, 1.0, 32.0);
        Assert.True(first.Loss > 0);
        Assert.Equal(["dev_accuracy", "dev_loss", "dev_code_perplexity", "dev_chance_accuracy"], first.ToMetrics().Select(m => m.Key));
    }

    [Fact]
    public void CropsAreAsLongAsTheShortestChosenUtterance()
    {
        var shortest = ManifestFiles.Read(Corpus.Value, "train").Entries.Min(e => e.NumSamples);
        var probe = DevProbe.FromManifest(Corpus.Value, "train", MicroPretraining.Config, MicroPretraining.Masking,
            MicroPretraining.Objective, new DevProbeOptions(Utterances: 6, CropSamples: 100_000, Seed: 1));
        Assert.Equal((6, (int)shortest), (probe.Rows, probe.Samples));
    }

    /// <summary>A run passes its own data path; with silence trimming the probe's crops are cut from the trimmed audio.</summary>
    [Fact]
    public void CropsComeThroughTheGivenDataPath()
    {
        var folder = TestAudio.TempDir();
        var silence = new float[8000];
        float[] padded = [.. silence, .. TestAudio.Sine(220, 0.5, 16_000), .. silence];
        var entries = Enumerable.Range(0, 4).Select(i =>
        {
            TestAudio.WriteWav(Path.Combine(folder, $"u{i}.wav"), padded, 16_000, 1, 16);
            return new ManifestEntry($"u{i}.wav", padded.Length);
        }).ToList();
        ManifestFiles.Write(folder, "dev", new Manifest(folder, entries));
        var options = new DevProbeOptions(Utterances: 4, CropSamples: 100_000, Seed: 1);

        var plain = DevProbe.FromManifest(folder, "dev", MicroPretraining.Config, MicroPretraining.Masking, MicroPretraining.Objective, options);
        var trimmed = DevProbe.FromManifest(ManifestFiles.Read(folder, "dev"), "dev", MicroPretraining.Config, MicroPretraining.Masking,
            MicroPretraining.Objective, options, u => u.Decode().TrimSilence(40));

        Assert.Equal((4, padded.Length), (plain.Rows, plain.Samples));
        Assert.Equal(4, trimmed.Rows);
        Assert.InRange(trimmed.Samples, 8000, 12_000);
    }

    /// <summary>
    /// A model trained for 40 updates on the probe's own audio (memorisable, fresh masks each update) against the
    /// same model at initialisation: the probe sees the masked frames become predictable.
    /// </summary>
    [Fact]
    public void ProbeSeesAModelLearnMemorisableAudio()
    {
        var probe = Probe();
        using var model = MicroPretraining.Model();
        var before = probe.Measure(model);
        var manifest = ManifestFiles.Read(Corpus.Value, "train");
        var samples = manifest.Entries.Take(Rows).SelectMany(e => AudioDecoder.Decode(manifest.FullPath(e)).Take(Crop)).ToArray();
        using var audio = torch.tensor(samples, [Rows, Crop]);
        var optimizer = optim.AdamW(model.parameters(), lr: 2e-3);
        for (var step = 0; step < 40; step++) MicroPretraining.Step(model, optimizer, audio, step);
        var after = probe.Measure(model);

        Assert.True(after.Accuracy > 4 * after.ChanceAccuracy && after.Accuracy > before.Accuracy + 0.2,
            $"dev accuracy {before.Accuracy:F3} → {after.Accuracy:F3} (chance {after.ChanceAccuracy:F3})");
        Assert.True(after.Contrastive < before.Contrastive - 0.4, $"dev contrastive {before.Contrastive:F3} → {after.Contrastive:F3}");
        var (gapBefore, gapAfter) = (Gap(before.Diagnostics), Gap(after.Diagnostics));
        Assert.True(gapAfter > gapBefore + 0.1, $"positive − distractor cosine {gapBefore:F3} → {gapAfter:F3}");
        Assert.True(after.Diagnostics.Contrastive.LogitsStd > 2 * before.Diagnostics.Contrastive.LogitsStd,
            $"contrastive logit spread {before.Diagnostics.Contrastive.LogitsStd:F3} → {after.Diagnostics.Contrastive.LogitsStd:F3}");
    }

    static double Gap(PretrainingDiagnostics d) => d.Contrastive.PositiveCosine - d.Contrastive.DistractorCosine;

    [Fact]
    public void BadInputNamesTheManifestTheFieldOrBothSizes()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => DevProbe.FromManifest(Corpus.Value, "nope", MicroPretraining.Config,
            MicroPretraining.Masking, MicroPretraining.Objective));
        Assert.Contains(Path.Combine(Corpus.Value, "nope.tsv"), missing.Message);
        var rows = Assert.Throws<ArgumentException>(() => DevProbe.FromManifest(Corpus.Value, "train", MicroPretraining.Config,
            MicroPretraining.Masking, MicroPretraining.Objective, new DevProbeOptions(Utterances: 0)));
        Assert.Contains("DevProbeOptions.Utterances", rows.Message);
        using var other = new Wav2Vec2ForPreTraining(MicroPretraining.Config with { NumCodevectorsPerGroup = 4 });
        var codes = Assert.Throws<ArgumentException>(() => { Probe().Measure(other); });
        Assert.Contains("built for 2×8 codes, the model has 2×4", codes.Message);
    }
}
