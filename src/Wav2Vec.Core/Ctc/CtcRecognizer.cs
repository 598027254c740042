using TorchSharp;
using Wav2Vec.Checkpoints;
using Wav2Vec.Data;
using Wav2Vec.Model;
using Wav2Vec.Torch;
using static TorchSharp.torch;

namespace Wav2Vec.Ctc;

/// <summary>
/// A fine-tuned CTC model directory (Hugging Face layout: config.json, weights, vocab.json) ready to transcribe
/// and align 16 kHz mono audio. Tensors live only in <see cref="LogProbs(float[])"/>; decoding and alignment
/// are the pure C# functions of this folder.
/// </summary>
public sealed class CtcRecognizer : IDisposable
{
    readonly Device device;
    readonly bool ownsModel;

    /// <summary>The model (eval mode).</summary>
    public Wav2Vec2ForCtc Model { get; }

    /// <summary>The model's letter vocabulary.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>Whether each waveform is scaled to zero mean and unit variance first (<c>do_normalize</c> of preprocessor_config.json).</summary>
    public bool NormalizeWaveform { get; }

    /// <summary>Seconds per encoder frame: the product of the conv strides over 16 kHz (0.02 for wav2vec 2.0).</summary>
    public double SecondsPerFrame => Model.Config.ConvStride.Aggregate(1, (a, s) => a * s) / 16000.0;

    /// <summary>
    /// Wraps a model (moved to <paramref name="device"/> and put in eval mode). With <paramref name="ownsModel"/>
    /// false, disposing the recognizer leaves the model alone, as when a trainer evaluates its own model.
    /// </summary>
    public CtcRecognizer(Wav2Vec2ForCtc model, Vocabulary vocabulary, bool normalizeWaveform = false, Device? device = null, bool ownsModel = false)
    {
        this.ownsModel = ownsModel;
        if (vocabulary.Count != model.Config.VocabSize)
            throw new ArgumentException($"vocabulary has {vocabulary.Count} tokens but the model's head has vocab_size {model.Config.VocabSize}.");
        this.device = device ?? CPU;
        Model = model;
        Model.to(this.device);
        Model.eval();
        Vocabulary = vocabulary;
        NormalizeWaveform = normalizeWaveform;
    }

    /// <summary>Loads a model directory; vocab.json is required, preprocessor_config.json optional.</summary>
    public static CtcRecognizer Load(string directory, Device? device = null)
    {
        TorchRuntime.Initialize();
        var vocabPath = Path.Combine(directory, "vocab.json");
        if (!File.Exists(vocabPath))
            throw new FileNotFoundException($"{directory}: no vocab.json; a CTC model directory needs the vocabulary its head was trained on.", vocabPath);
        var vocabulary = Vocabulary.Load(vocabPath);
        return new CtcRecognizer(Wav2Vec2ForCtc.FromPretrained(directory), vocabulary, PreprocessorConfig.DoNormalize(directory) ?? false, device, ownsModel: true);
    }

    /// <summary>CTC log-probabilities <c>[T][V]</c> of a 16 kHz mono waveform.</summary>
    public float[][] LogProbs(float[] waveform)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = tensor(NormalizeWaveform ? Standardize(waveform) : waveform, device: device).unsqueeze(0);
        return Ctc.LogProbs.FromLogits(Model.Forward(input).Logits[0]);
    }

    /// <summary>Transcribes a waveform; words carry times from the decoded path (beam: from a forced alignment of the result).</summary>
    public Transcription Transcribe(float[] waveform, DecodingOptions? options = null) => Decode(LogProbs(waveform), options ?? DecodingOptions.Greedy);

    /// <summary>Decodes log-probabilities <c>[T][V]</c> (pure; no model needed).</summary>
    public Transcription Decode(float[][] logProbs, DecodingOptions options)
    {
        if (options.IsGreedy)
        {
            var path = GreedyDecoder.BestPath(logProbs);
            var spans = Timestamps.TokenSpans(path, logProbs, Vocabulary.Blank);
            double score = path.Select((v, t) => (double)logProbs[t][v]).Sum();
            return new Transcription(Vocabulary.ToText(GreedyDecoder.Collapse(path, Vocabulary.Blank)),
                Timestamps.Words(spans, Vocabulary, SecondsPerFrame), Timestamps.Characters(spans, Vocabulary, SecondsPerFrame), logProbs.Length, score);
        }
        var best = BeamSearchDecoder.Decode(logProbs, Vocabulary, options.ToBeamSearch())[0];
        var alignment = ForcedAligner.Align(logProbs, best.Tokens, Vocabulary.Blank);
        return new Transcription(best.Text, Timestamps.Words(alignment.Spans, Vocabulary, SecondsPerFrame),
            Timestamps.Characters(alignment.Spans, Vocabulary, SecondsPerFrame), logProbs.Length, best.Score);
    }

    /// <summary>Forced alignment of a known transcript (tokenised with <paramref name="tokenizer"/>) to a waveform.</summary>
    public (Alignment Alignment, IReadOnlyList<WordSpan> Words) Align(float[] waveform, string transcript, Tokenizer tokenizer, string utterance = "<audio>")
    {
        var logProbs = LogProbs(waveform);
        var alignment = ForcedAligner.Align(logProbs, tokenizer.Encode(transcript, utterance), Vocabulary.Blank, utterance);
        return (alignment, Timestamps.Words(alignment.Spans, Vocabulary, SecondsPerFrame));
    }

    public void Dispose()
    {
        if (ownsModel) Model.Dispose();
    }

    /// <summary>Zero mean, unit variance, as Hugging Face's feature extractor does when do_normalize is set (<see cref="Standardization.Standardize(float[])"/>).</summary>
    public static float[] Standardize(float[] waveform) => Standardization.Standardize(waveform);
}
