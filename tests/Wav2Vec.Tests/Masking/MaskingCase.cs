using FsCheck;
using FsCheck.Fluent;
using Wav2Vec.Masking;

namespace Wav2Vec.Tests.Masking;

/// <summary>A random batch to mask: valid lengths (some padded), the padded frame count, options and a seed.</summary>
public sealed record MaskingCase(int[] Lengths, int Frames, MaskingOptions Options, int Seed)
{
    public override string ToString() =>
        $"lengths=[{string.Join(",", Lengths)}] frames={Frames} {Options} seed={Seed}";
}

/// <summary>FsCheck generators for span-masking properties.</summary>
public static class MaskingArbitraries
{
    static Gen<MaskingOptions> Options(bool sameMasks) =>
        from prob in Gen.Choose(0, 100)
        from length in Gen.Choose(1, 15)
        from minMasks in Gen.Choose(0, 4)
        from same in sameMasks ? Gen.Elements(false, true) : Gen.Constant(false)
        select new MaskingOptions(prob / 100.0, length, minMasks, same);

    static Gen<MaskingCase> Cases(bool sameMasks) =>
        from frames in Gen.Choose(0, 300)
        from batch in Gen.Choose(1, 5)
        from lengths in Gen.ArrayOf(Gen.Choose(0, frames), batch)
        from options in Options(sameMasks)
        from seed in Gen.Choose(int.MinValue, int.MaxValue)
        select new MaskingCase(lengths, frames, options, seed);

    public static Arbitrary<MaskingCase> MaskingCase() => Cases(sameMasks: true).ToArbitrary();
}
