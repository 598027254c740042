using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Wav2Vec.Audio;

namespace Wav2Vec.Experiments;

/// <summary>Where the audio comes from: a folder of fairseq manifests (<c>SPLIT.tsv</c>, <c>SPLIT.ltr</c>, <c>SPLIT.wrd</c>).</summary>
/// <param name="Folder">Folder holding the manifests.</param>
/// <param name="Train">Training split (<c>train</c> for pre-training, <c>train-10min</c>… for fine-tuning).</param>
/// <param name="Dev">Split for periodic evaluation, or null.</param>
/// <param name="Test">Split for the final evaluation, or null.</param>
/// <param name="SynthesizeHours">
/// When the training manifest is missing: hours of the default TTS corpus to synthesise into <paramref name="Folder"/>
/// before the run starts (as <c>wav2vec data synth</c> does); 0 makes a missing manifest an error instead.
/// </param>
/// <param name="MaxSeconds">Utterances longer than this are bad audio (see <paramref name="BadAudio"/>).</param>
/// <param name="Normalize">
/// Scale each waveform to zero mean and unit variance before batching (fairseq's <c>normalize</c>). A model trained so
/// records it as <c>do_normalize</c> in its <c>preprocessor_config.json</c>, which every evaluation and inference path
/// reads, and fine-tuning requires the same setting as the model it starts from.
/// </param>
/// <param name="TrimSilence">
/// Decibels below an utterance's loudest 20 ms frame under which its leading and trailing frames count as silence and
/// are cut from the training stream (60 ms kept on each side; silence inside an utterance stays), or null to keep the
/// audio whole. Dev and test audio are never trimmed, so a pre-training run's dev batch stays comparable across runs.
/// </param>
/// <param name="BadAudio">
/// What a run does with audio it cannot use (a file that is missing, unreadable, not a regular file, in an unsupported
/// format or bit depth, corrupt, truncated, too long, shorter than the model's receptive field, or of another length
/// than its manifest line says): <c>skip</c> (the default) leaves it out, names it on the console and in the run's
/// <c>skipped.tsv</c>, and goes on; <c>fail</c> stops the run with an error naming the file. Dev and test files are
/// checked before the first update.
/// </param>
public sealed record CorpusSpec(
    string Folder = "data/tts-en",
    string Train = "train",
    string? Dev = "dev",
    string? Test = "test",
    double SynthesizeHours = 0,
    double MaxSeconds = 20,
    bool Normalize = false,
    double? TrimSilence = null,
    [property: JsonConverter(typeof(JsonStringEnumConverter<BadAudioPolicy>))] BadAudioPolicy BadAudio = BadAudioPolicy.Skip);

/// <summary>AdamW and the tri-stage learning-rate schedule (warm-up, hold, decay; ratios of the total updates).</summary>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay, applied to every trained parameter except <paramref name="NoDecay"/>.</param>
/// <param name="Beta1">AdamW β₁.</param>
/// <param name="Beta2">AdamW β₂.</param>
/// <param name="Epsilon">AdamW ε.</param>
/// <param name="ClipNorm">Global gradient L2 norm the update is clipped to.</param>
/// <param name="WarmupRatio">Fraction of updates warming up linearly.</param>
/// <param name="HoldRatio">Fraction held at the peak.</param>
/// <param name="DecayRatio">Fraction decaying exponentially to <paramref name="FinalScale"/> of the peak.</param>
/// <param name="FinalScale">Learning rate after the decay, as a fraction of the peak.</param>
/// <param name="NoDecay">
/// Parameter names (Hugging Face names, <c>*</c> matching any run of characters, e.g. <c>*.bias</c>) that get no weight
/// decay: AdamW runs with two parameter groups. Null takes the objective's default: biases and layer/group-norm weights
/// (<see cref="Optimizers.DefaultNoDecay"/>), plus <c>quantizer.codevectors</c> in pre-training, as fairseq does.
/// </param>
public sealed record OptimizerSpec(
    double LearningRate = 5e-4,
    double WeightDecay = 0.01,
    double Beta1 = 0.9,
    double Beta2 = 0.98,
    double Epsilon = 1e-6,
    double ClipNorm = 10.0,
    double WarmupRatio = 0.08,
    double HoldRatio = 0.0,
    double DecayRatio = 0.92,
    double FinalScale = 0.05,
    ImmutableArray<string>? NoDecay = null)
{
    /// <inheritdoc />
    public bool Equals(OptimizerSpec? other) =>
        other is not null && (LearningRate, WeightDecay, Beta1, Beta2, Epsilon, ClipNorm, WarmupRatio, HoldRatio, DecayRatio, FinalScale)
            .Equals((other.LearningRate, other.WeightDecay, other.Beta1, other.Beta2, other.Epsilon, other.ClipNorm, other.WarmupRatio,
                other.HoldRatio, other.DecayRatio, other.FinalScale))
        && (NoDecay ?? []).SequenceEqual(other.NoDecay ?? []) && NoDecay.HasValue == other.NoDecay.HasValue;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(LearningRate, WeightDecay, Beta1, Beta2, Epsilon, ClipNorm, NoDecay?.Length);
}

/// <summary>Where a run writes, and how often it checkpoints and evaluates.</summary>
/// <param name="Folder">Parent folder; the run writes into <c>Folder/Name</c>.</param>
/// <param name="CheckpointEvery">Updates between checkpoints (the last update always gets one).</param>
/// <param name="KeepLast">Checkpoints kept besides the best.</param>
/// <param name="EvaluateEvery">Updates between dev evaluations (0: only at the end).</param>
public sealed record OutputSpec(string Folder = "runs", int CheckpointEvery = 100, int KeepLast = 2, int EvaluateEvery = 0);
