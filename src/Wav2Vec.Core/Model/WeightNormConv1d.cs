using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Conv1d whose weight is reparameterised as w = g · v / ‖v‖ with the norm over dims 0 and 1 for each kernel tap
/// (PyTorch <c>weight_norm(conv, dim=2)</c>). Hand-written: TorchSharp has no weight_norm.
/// Parameters: <c>weight_g</c> [1, 1, K], <c>weight_v</c> [C_out, C_in/groups, K], <c>bias</c> [C_out].
/// </summary>
public sealed class WeightNormConv1d : NamedModule
{
    // Parameters are looked up by name on use: Module.to(dtype/device) replaces the Parameter objects.
    Parameter WeightG => get_parameter("weight_g")!;
    Parameter WeightV => get_parameter("weight_v")!;
    Parameter Bias => get_parameter("bias")!;
    readonly long padding;
    readonly long groups;

    /// <summary>A same-channel conv with <paramref name="kernel"/> taps, <paramref name="padding"/> each side, in <paramref name="groups"/> groups.</summary>
    public WeightNormConv1d(long channels, long kernel, long padding, long groups) : base(nameof(WeightNormConv1d))
    {
        this.padding = padding;
        this.groups = groups;
        register_parameter("bias", new Parameter(zeros(channels)));
        register_parameter("weight_g", new Parameter(empty(1, 1, kernel)));
        register_parameter("weight_v", new Parameter(empty(channels, channels / groups, kernel)));
    }

    /// <summary>Draws v ~ N(0, std²) and sets g = ‖v‖ so that the effective weight starts equal to v; bias 0.</summary>
    public void Initialize(double std)
    {
        using var _ = no_grad();
        nn.init.normal_(WeightV, 0, std);
        WeightG.copy_(Norm(WeightV));
        Bias.zero_();
    }

    /// <summary>The effective conv weight g · v / ‖v‖ [C_out, C_in/groups, K], normed in float32, in <paramref name="dtype"/> (default: v's).</summary>
    public Tensor Weight(ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        var v = WeightV.to(ScalarType.Float32);
        var w = WeightG.to(ScalarType.Float32) * v / Norm(v);
        return w.to(dtype ?? WeightV.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>‖v‖ over dims 0 and 1 per tap: [1, 1, K].</summary>
    static Tensor Norm(Tensor v) => v.square().sum([0, 1], keepdim: true).sqrt();

    /// <summary>
    /// [B, C, T] → [B, C, T + 2·padding − K + 1], in x's dtype. A channels-last input (the transpose of a [B, T, C]
    /// tensor) is convolved in that layout and gives a channels-last output.
    /// </summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.conv2d(x.unsqueeze(2), Weight(x.dtype).unsqueeze(2), Autocast.Like(Bias, x),
            strides: [1, 1], padding: [0, padding], groups: groups);
        return y.squeeze(2).MoveToOuterDisposeScope();
    }
}
