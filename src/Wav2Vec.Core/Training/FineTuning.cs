using Wav2Vec.Checkpoints;
using Wav2Vec.Ctc;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Text;

namespace Wav2Vec.Training;

/// <summary>
/// The pieces of CTC fine-tuning that sit around <see cref="CtcStep.Run"/>: loading a pre-trained model with a head
/// for the vocabulary, reading labelled splits, greedy dev evaluation and saving. The run itself is a
/// <see cref="Experiments.FinetuneExperiment"/>, driven by <c>Experiment.Run()</c>.
/// </summary>
public static class FineTuning
{
    /// <summary>Greedy dev evaluation of the model being trained (its waveforms standardised when <paramref name="normalizeWaveform"/>, as in training).</summary>
    public static EvaluationResult Evaluate(Wav2Vec2ForCtc model, Vocabulary vocabulary, IReadOnlyList<LabelledUtterance> utterances,
        ITranscriptNormalizer normalizer, TorchSharp.torch.Device? device = null, bool normalizeWaveform = false)
    {
        using var recognizer = new CtcRecognizer(model, vocabulary, normalizeWaveform, device);
        return Evaluation.Run(recognizer, utterances.Select(u => u.Decode()), normalizer);
    }

    /// <summary>The labelled utterances of a manifest split (words as transcripts); an unlabelled split is an error naming it.</summary>
    public static IReadOnlyList<LabelledUtterance> Labelled(string manifestDirectory, string split) =>
        Labelled(ManifestFiles.Read(manifestDirectory, split), ManifestFiles.TsvPath(manifestDirectory, split));

    /// <summary>The labelled utterances of <paramref name="manifest"/> (read from <paramref name="source"/>, which errors name).</summary>
    public static IReadOnlyList<LabelledUtterance> Labelled(Manifest manifest, string source)
    {
        if (!manifest.IsLabelled)
            throw new FormatException($"{source}: split '{Path.GetFileNameWithoutExtension(source)}' has no .wrd/.ltr labels; fine-tuning and evaluation need transcripts.");
        return manifest.Entries.Select(e => new LabelledUtterance(e.Id, manifest.FullPath(e), e.NumSamples, e.Words!)).ToList();
    }

    /// <summary>The labelled split whose manifest is <paramref name="tsvPath"/> (<c>DIR/SPLIT.tsv</c> beside <c>SPLIT.wrd</c>/<c>SPLIT.ltr</c>).</summary>
    public static IReadOnlyList<LabelledUtterance> Labelled(string tsvPath) =>
        Labelled(Path.GetDirectoryName(Path.GetFullPath(tsvPath))!, Path.GetFileNameWithoutExtension(tsvPath));

    /// <summary>
    /// The pre-trained network in <paramref name="directory"/> with a CTC head for <paramref name="vocabulary"/>: a CTC
    /// checkpoint with the same vocab.json keeps its head; otherwise lm_head is replaced and the rest kept (paper §3.3).
    /// The mask probabilities are written into the config so <c>masked_spec_embed</c> exists when masking is on.
    /// </summary>
    public static Wav2Vec2ForCtc LoadModel(string directory, Vocabulary vocabulary, double maskTimeProb, double maskFeatureProb, Action<string> log) =>
        LoadModel(directory, vocabulary, config => config with { MaskTimeProb = maskTimeProb, MaskFeatureProb = maskFeatureProb }, log);

    /// <summary>
    /// As <see cref="LoadModel(string, Vocabulary, double, double, Action{string})"/>, the directory's config changed by
    /// <paramref name="configure"/> first (e.g. <see cref="Experiments.FinetuneExperiment.Configure"/>). What the load
    /// kept, initialised and replaced goes to <paramref name="log"/>. <paramref name="configure"/> may lower
    /// <c>num_hidden_layers</c>: the model then keeps the directory's bottom layers.
    /// </summary>
    public static Wav2Vec2ForCtc LoadModel(string directory, Vocabulary vocabulary, Func<Wav2Vec2Config, Wav2Vec2Config> configure, Action<string> log)
    {
        var loaded = Wav2Vec2Checkpoint.Load(directory, KeyMatching.SharedNetwork, null, config => new Wav2Vec2ForCtc(configure(config)), keepBottomLayers: true);
        log(loaded.Report.ToString());
        var vocabPath = Path.Combine(directory, "vocab.json");
        bool sameHead = File.Exists(vocabPath) && Vocabulary.Load(vocabPath).Equals(vocabulary) && loaded.Config.VocabSize == vocabulary.Count
                        && !loaded.Report.Missing.Any(name => name.StartsWith("lm_head", StringComparison.Ordinal));
        if (sameHead) return loaded.Model;
        log($"new lm_head for {vocabulary.Count} tokens (the checkpoint's head, if any, is for another vocabulary)");
        return loaded.Model.WithNewHead(vocabulary.Count);
    }

    /// <summary>
    /// Saves the model and its vocabulary as a Hugging Face directory (sidecar files copied from <paramref name="pretrained"/>
    /// when given), with a <c>preprocessor_config.json</c> whose <c>do_normalize</c> is <paramref name="normalizeWaveform"/>.
    /// </summary>
    public static void Save(Wav2Vec2ForCtc model, Vocabulary vocabulary, string directory, string? pretrained, bool normalizeWaveform = false)
    {
        model.SavePretrained(directory, copyFrom: pretrained);
        vocabulary.Save(Path.Combine(directory, "vocab.json"));
        PreprocessorConfig.Write(directory, normalizeWaveform, model.Config);
    }
}
