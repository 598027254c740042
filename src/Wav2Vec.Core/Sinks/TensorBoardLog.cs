using TorchSharp;
using TorchSharp.Modules;
using Wav2Vec.Experiments;

namespace Wav2Vec.Sinks;

/// <summary>
/// Writes every metric (and the learning rate) as a TensorBoard scalar through TorchSharp's
/// <c>torch.utils.tensorboard.SummaryWriter</c>: one event file per run under <c>logDir/RUN/</c>, tags
/// <c>PHASE/METRIC</c> (e.g. <c>pretrain/loss</c>, <c>finetune/wer</c>). View with <c>tensorboard --logdir logDir</c>.
/// Use through <see cref="SinkExtensions.LogTensorBoard"/>.
/// </summary>
public sealed class TensorBoardLog : IObserver<StepReport>, IDisposable
{
    readonly string logDir;
    readonly Dictionary<string, SummaryWriter> writers = [];

    /// <summary>Event files go under <paramref name="logDir"/>, one folder per run name.</summary>
    public TensorBoardLog(string logDir) => this.logDir = Path.GetFullPath(logDir);

    /// <inheritdoc />
    public void OnNext(StepReport value)
    {
        if (!writers.TryGetValue(value.Run, out var writer))
        {
            var folder = Path.Combine(logDir, string.Concat(value.Run.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c)));
            writers[value.Run] = writer = torch.utils.tensorboard.SummaryWriter(folder);
        }
        var phase = StepReport.PhaseName(value.Phase);
        // SummaryWriter takes an int step; runs beyond 2^31 steps are not a concern for wav2vec 2.0 (400k updates).
        var step = checked((int)value.Step);
        var wallTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        writer.add_scalar($"{phase}/lr", (float)value.LearningRate, step, wallTime);
        foreach (var (name, metric) in value.Metrics) writer.add_scalar($"{phase}/{name}", (float)metric, step, wallTime);
    }

    /// <inheritdoc />
    public void OnError(Exception error) => Dispose();

    /// <inheritdoc />
    public void OnCompleted() => Dispose();

    /// <summary>Forgets the writers (each add_scalar already flushed its event to disk).</summary>
    public void Dispose() => writers.Clear();
}
