namespace Wav2Vec.Pretraining;

/// <summary>
/// The Gumbel-softmax temperature τ of the quantizer (paper §3.2, §4.2): annealed from <paramref name="Start"/>
/// by a factor <paramref name="Decay"/> per update down to <paramref name="Min"/>.
/// </summary>
public sealed record GumbelTemperatureSchedule(double Start = 2.0, double Decay = 0.999995, double Min = 0.5)
{
    /// <summary>The paper's BASE schedule: 2 → 0.5 with decay 0.999995.</summary>
    public static GumbelTemperatureSchedule Default { get; } = new();

    /// <summary>τ(step) = max(Start·Decay^step, Min); step counts optimiser updates from 0.</summary>
    public double At(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "The update step must not be negative.");
        return Math.Max(Start * Math.Pow(Decay, step), Min);
    }
}
