using Wav2Vec.Model;
using static TorchSharp.torch;

namespace Wav2Vec.Pretraining;

/// <summary>
/// The features BEST-RQ quantises in the paper (Chiu et al. 2022, §3: 80-dimensional log-mel filterbank features,
/// 25 ms windows every 10 ms at 16 kHz): a periodic Hann window of 400 samples, a 512-point FFT (the window
/// zero-padded at its end, as Kaldi's fbank does), the power spectrum, 80 triangular filters on the HTK mel scale
/// mel = 2595·log10(1 + f/700) between 20 Hz and 8 kHz with triangles drawn in mel (Kaldi's fbank, and TensorFlow's
/// <c>linear_to_mel_weight_matrix</c> that the paper's Lingvo front end uses), then log(x + 10⁻⁶). Frames are cut
/// without centre padding: 10 ms frame j covers samples [160·j, 160·j + 400), so frame 2t starts where model frame t's
/// receptive field starts (t·320 for a 20 ms model).
/// </summary>
public static class LogMel
{
    /// <summary>Sample rate the constants below assume.</summary>
    public const int SampleRate = 16000;
    /// <summary>Mel bins per 10 ms frame.</summary>
    public const int Bins = 80;
    /// <summary>Window of one frame: 25 ms.</summary>
    public const int WindowSamples = 400;
    /// <summary>Hop between frames: 10 ms.</summary>
    public const int HopSamples = 160;
    /// <summary>FFT length (the window zero-padded).</summary>
    public const int FftSize = 512;
    /// <summary>Lower edge of the first filter (Kaldi's default).</summary>
    public const double MinHz = 20;
    /// <summary>Upper edge of the last filter (Nyquist).</summary>
    public const double MaxHz = SampleRate / 2.0;
    /// <summary>Added to the mel energies before the log, so silence gives a finite floor.</summary>
    public const double Floor = 1e-6;

    /// <summary>HTK's mel scale.</summary>
    public static double HzToMel(double hz) => 2595 * Math.Log10(1 + hz / 700);

    /// <summary>The inverse of <see cref="HzToMel"/>.</summary>
    public static double MelToHz(double mel) => 700 * (Math.Pow(10, mel / 2595) - 1);

    /// <summary>Edge m of the filters, m = 0 … 81, equally spaced in mel; filter b rises from edge b, peaks at b + 1, falls to b + 2.</summary>
    static double EdgeMel(int m) => HzToMel(MinHz) + m * (HzToMel(MaxHz) - HzToMel(MinHz)) / (Bins + 1);

    /// <summary>The frequency (Hz) at which filter <paramref name="bin"/> peaks.</summary>
    public static double CentreHz(int bin) => MelToHz(EdgeMel(bin + 1));

    const int Frequencies = FftSize / 2 + 1;

    static readonly float[] Weights = Triangles();

    /// <summary>The filterbank [257, 80] (float32): column b is filter b's weight at each FFT bin's frequency, 1 at its centre.</summary>
    public static Tensor Filterbank() => tensor(Weights, [Frequencies, Bins]);

    static float[] Triangles()
    {
        var weights = new float[Frequencies * Bins];
        for (var k = 0; k < Frequencies; k++)
        {
            var mel = HzToMel(k * (double)SampleRate / FftSize);
            for (var b = 0; b < Bins; b++)
            {
                double lower = EdgeMel(b), centre = EdgeMel(b + 1), upper = EdgeMel(b + 2);
                weights[k * Bins + b] = (float)Math.Max(0, Math.Min((mel - lower) / (centre - lower), (upper - mel) / (upper - centre)));
            }
        }
        return weights;
    }

    /// <summary>10 ms frames of <paramref name="samples"/> samples: ⌊(samples − 400)/160⌋ + 1, and 0 below one window.</summary>
    public static long Frames(long samples) => samples < WindowSamples ? 0 : (samples - WindowSamples) / HopSamples + 1;

    /// <summary>Samples between two model frames (<see cref="FrameLengths.Stride"/> of the conv strides: 320 for BASE).</summary>
    public static long ModelHop(Wav2Vec2Config config) => FrameLengths.Stride(config.ConvStride);

    /// <summary>10 ms frames stacked into one model frame: <see cref="ModelHop"/> / 160 (2 for 20 ms frames).</summary>
    public static long Stack(Wav2Vec2Config config) => ModelHop(config) / HopSamples;

    /// <summary>True when the model's frame hop is a whole number of 10 ms hops, as stacking needs.</summary>
    public static bool Fits(Wav2Vec2Config config) => ModelHop(config) % HopSamples == 0;

    /// <summary>Waveform [B, L] at 16 kHz, L ≥ 400 → log-mel features [B, <see cref="Frames"/>(L), 80] in float32; no gradient.</summary>
    public static Tensor Compute(Tensor waveform)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var frames = waveform.detach().to(float32).unfold(1, WindowSamples, HopSamples);
        var windowed = frames.mul(hann_window(WindowSamples, periodic: true, device: waveform.device));
        var power = fft.rfft(windowed, FftSize, dim: -1).abs().square();
        return power.matmul(Filterbank().to(waveform.device)).add(Floor).log().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// BEST-RQ's log-mel target features [B, <paramref name="frames"/>, 80·<paramref name="stack"/>] of waveform [B, L]:
    /// <see cref="Compute"/>, normalised per row to zero mean and unit variance per bin over its real 10 ms frames
    /// (those within <paramref name="sampleLengths"/>; null: the whole row), then model frame t gets 10 ms frames
    /// stack·t … stack·t + stack − 1, concatenated in time order. A row with fewer real frames repeats its last one:
    /// with BASE's conv stack (receptive field 400, stride 320) L samples give ⌊(L − 400)/160⌋ + 1 frames, 2T − 1 or
    /// 2T for T model frames, so at most the second half of the last model frame is a copy. Audio shorter than one
    /// window is zero-padded to one frame.
    /// </summary>
    public static Tensor Stacked(Tensor waveform, long[]? sampleLengths, long frames, long stack)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long batch = waveform.shape[0], samples = waveform.shape[1];
        var input = samples < WindowSamples ? nn.functional.pad(waveform, [0, WindowSamples - samples]) : waveform;
        var logMel = Compute(input);
        var device = waveform.device;
        var real = tensor((sampleLengths ?? Enumerable.Repeat(samples, (int)batch).ToArray()).Select(s => Math.Max(1, Frames(s))).ToArray(), device: device);
        var melMask = arange(logMel.shape[1], device: device).unsqueeze(0).lt(real.unsqueeze(1));
        var normalised = RandomProjectionQuantizer.Normalize(logMel, melMask);
        var index = arange(frames * stack, device: device).unsqueeze(0).minimum(real.sub(1).unsqueeze(1));
        var aligned = normalised.gather(1, index.unsqueeze(-1).expand(batch, frames * stack, Bins));
        return aligned.reshape(batch, frames, stack * Bins).MoveToOuterDisposeScope();
    }
}
