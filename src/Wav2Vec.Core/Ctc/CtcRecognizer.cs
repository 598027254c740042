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
    public double SecondsPerFrame => Stride / 16000.0;

    /// <summary>How audio longer than one window is cut (<see cref="InferenceWindows"/>); shorter audio runs in one pass.</summary>
    public WindowOptions Windows { get; init; } = WindowOptions.Default;

    long Stride => FrameLengths.Stride(Model.Config.ConvStride);

    long Field => FrameLengths.ReceptiveField(Model.Config.ConvKernel, Model.Config.ConvStride);

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

    /// <summary>
    /// Loads a fine-tuned model directory; vocab.json is required, preprocessor_config.json optional. A directory
    /// whose weights lack the CTC head <c>lm_head</c> (a pre-training checkpoint) or hold NaN/infinite values is an
    /// error: it would transcribe noise. Tensors that belong to no wav2vec 2.0 model are an error unless
    /// <paramref name="allowUnknownKeys"/>.
    /// </summary>
    public static CtcRecognizer Load(string directory, Device? device = null, bool allowUnknownKeys = false)
    {
        TorchRuntime.Initialize();
        var vocabulary = Vocabulary.Load(Wav2Vec2Checkpoint.RequiredFile(directory, "vocab.json", "a CTC model directory needs the vocabulary its head was trained on"));
        var loaded = Wav2Vec2Checkpoint.LoadCtc(directory, allowUnknownKeys: allowUnknownKeys);
        try
        {
            var missingHead = loaded.Report.Missing.Where(name => name.StartsWith("lm_head.", StringComparison.Ordinal)).ToList();
            if (missingHead.Count > 0)
                throw new CheckpointMismatchException(
                    $"{loaded.Report.Source} has no CTC head ({string.Join(", ", missingHead)} missing): a pre-training checkpoint cannot " +
                    "transcribe; fine-tune it with CTC first.");
            if (Wav2Vec2Checkpoint.NonFiniteParameters(loaded.Model) is { Count: > 0 } broken)
                throw new CheckpointMismatchException(
                    $"{loaded.Report.Source}: {broken.Count} tensor(s) hold NaN or infinite values ({string.Join(", ", broken.Take(5))}" +
                    $"{(broken.Count > 5 ? ", …" : "")}); the model diverged or the file is damaged.");
            return new CtcRecognizer(loaded.Model, vocabulary, PreprocessorConfig.DoNormalize(directory) ?? false, device, ownsModel: true);
        }
        catch
        {
            loaded.Model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// CTC log-probabilities <c>[T][V]</c> of a 16 kHz mono waveform. Audio longer than one of <see cref="Windows"/>
    /// runs window by window (<see cref="InferenceWindows.Plan"/>), so memory stays bounded; shorter audio runs in one
    /// pass. Audio shorter than the receptive field (one frame) is an <see cref="ArgumentException"/>, and an
    /// estimated need above the memory available an <see cref="InsufficientMemoryException"/>, both before any tensor exists.
    /// </summary>
    public float[][] LogProbs(float[] waveform)
    {
        long stride = Stride, field = Field;
        if (waveform.Length < field)
            throw new ArgumentException(
                $"audio of {waveform.Length} samples ({waveform.Length / 16.0:0.#} ms) is shorter than the model's receptive field of {field} samples ({field / 16.0:0.#} ms).");
        var plan = InferenceWindows.Plan(waveform.Length, stride, field, Windows);
        var longest = plan.Count == 1 ? waveform.Length : InferenceWindows.Samples(plan[0], stride, field).End;
        Wav2Vec2ConfigMemory.EnsureFits(Wav2Vec2ConfigMemory.InferenceBytes(Model.Config, longest) + 4L * plan[^1].KeepTo * Model.Config.VocabSize,
            $"inference over {waveform.Length / 16000.0:0.#} s of audio ({Math.Min(waveform.Length, longest) / 16000.0:0.#} s per pass)",
            Wav2Vec2ConfigMemory.AvailableBytes());
        var samples = NormalizeWaveform ? Standardize(waveform) : waveform;
        if (plan.Count == 1) return Pass(samples);
        var result = new List<float[]>(checked((int)plan[^1].KeepTo));
        foreach (var window in plan)
        {
            var (first, end) = InferenceWindows.Samples(window, stride, field);
            var rows = Pass(samples[(int)first..(int)end]);
            result.AddRange(rows[(int)(window.KeepFrom - window.Start)..(int)(window.KeepTo - window.Start)]);
        }
        return [.. result];
    }

    /// <summary>One forward pass, with the collector held off (<see cref="TorchSharpScalars"/>: evaluation and scoring
    /// run the network's arithmetic as training does).</summary>
    float[][] Pass(float[] samples) => TorchSharpScalars.WithoutCollection(() =>
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = tensor(samples, device: device).unsqueeze(0);
        return Ctc.LogProbs.FromLogits(Model.Forward(input).Logits[0]);
    });

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
