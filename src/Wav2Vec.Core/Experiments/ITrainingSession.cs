namespace Wav2Vec.Experiments;

/// <summary>
/// One running phase of an experiment (pre-training or fine-tuning), advanced one optimiser step at a time by
/// <see cref="TrainingPipeline"/>. The session owns its model, optimiser and data cursor; everything it needs to
/// continue after a crash goes into <see cref="SaveCheckpoint"/>.
/// </summary>
public interface ITrainingSession : IDisposable
{
    /// <summary>Optimiser steps completed so far (restored on resume).</summary>
    long Step { get; }

    /// <summary>Planned number of steps.</summary>
    long TotalSteps { get; }

    /// <summary>
    /// Performs one step and reports it. Called on the pipeline's training thread only. A report whose
    /// <see cref="StepReport.Checkpoint"/> is set announces a checkpoint of this step, which the caller writes with
    /// <see cref="SaveCheckpoint"/> once the report is logged, so no checkpoint is ever newer than the logs.
    /// </summary>
    StepReport Next();

    /// <summary>
    /// Writes a complete, resumable checkpoint (model in Hugging Face format plus trainer state) for the current
    /// step and returns its path, or null when nothing new happened since the last one.
    /// </summary>
    string? SaveCheckpoint();
}
