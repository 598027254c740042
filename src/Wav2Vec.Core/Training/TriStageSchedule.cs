namespace Wav2Vec.Training;

/// <summary>
/// The tri-stage learning-rate schedule of wav2vec 2.0 fine-tuning (paper §4, fairseq <c>tri_stage</c>): linear
/// warm-up from <c>InitialScale·Peak</c> to <c>Peak</c>, hold, then exponential decay to <c>FinalScale·Peak</c>,
/// which is kept after the last stage. Stage lengths are fractions of the total number of updates.
/// </summary>
/// <param name="Peak">Peak learning rate.</param>
/// <param name="TotalSteps">Number of updates the ratios refer to.</param>
/// <param name="WarmupRatio">Fraction of updates warming up (paper: 0.1).</param>
/// <param name="HoldRatio">Fraction held at the peak (paper: 0.4).</param>
/// <param name="DecayRatio">Fraction decaying (paper: 0.5).</param>
/// <param name="InitialScale">Warm-up starts at this fraction of the peak (fairseq: 0.01).</param>
/// <param name="FinalScale">Decay ends at this fraction of the peak (fairseq: 0.05).</param>
public sealed record TriStageSchedule(double Peak, int TotalSteps, double WarmupRatio = 0.1, double HoldRatio = 0.4, double DecayRatio = 0.5,
    double InitialScale = 0.01, double FinalScale = 0.05)
{
    int Warmup => (int)(WarmupRatio * TotalSteps);
    int Hold => (int)(HoldRatio * TotalSteps);
    int Decay => (int)(DecayRatio * TotalSteps);

    /// <summary>Learning rate for update <paramref name="step"/> (0-based).</summary>
    public double At(int step)
    {
        if (WarmupRatio < 0 || HoldRatio < 0 || DecayRatio < 0 || WarmupRatio + HoldRatio + DecayRatio > 1 + 1e-9)
            throw new ArgumentException($"tri-stage ratios {WarmupRatio}/{HoldRatio}/{DecayRatio} must be non-negative and sum to at most 1.");
        if (step < Warmup)
            return Peak * (InitialScale + (1 - InitialScale) * step / Warmup);
        step -= Warmup;
        if (step < Hold) return Peak;
        step -= Hold;
        if (step < Decay) return Peak * Math.Exp(Math.Log(FinalScale) * step / Decay);
        return Peak * FinalScale;
    }
}
