using System.Diagnostics;
using System.Reactive.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using Wav2Vec.Sinks;

namespace Wav2Vec.Experiments;

/// <summary>
/// A run that meets TorchSharp 0.107's lost temporary scalar continues by itself. TorchSharp converts numbers to native
/// <c>Scalar</c>s on the fly and does not keep them alive during the native call, so a garbage collection at that
/// moment can free one while libtorch reads it; libtorch then throws ("Expected false to be true, but got false", or an
/// internal assert in <c>c10/core/Scalar.h</c>), rarely (about once in 400–800 updates of a long run) and at no
/// particular step. Nothing is wrong with the run: it resumes from its newest checkpoint, which gives the metrics of an
/// uninterrupted run (docs/reliability.md, "Temporary scalars in TorchSharp").
/// </summary>
public static class LostScalarRetry
{
    /// <summary>Retries one run may take before the error is reported.</summary>
    public const int DefaultRetries = 10;

    /// <summary>Whether <paramref name="error"/> (or an exception inside it) is libtorch reading a scalar that was freed under it.</summary>
    public static bool Is(Exception? error) => Lost(error) is not null;

    /// <summary>The exception of libtorch's that says a scalar was freed under it, inside <paramref name="error"/>; null when there is none.</summary>
    static ExternalException? Lost(Exception? error) => error switch
    {
        null => null,
        ExternalException e when e.Message.StartsWith("Expected false to be true", StringComparison.Ordinal)
                                 || e.Message.Contains("c10/core/Scalar.h", StringComparison.Ordinal) => e,
        AggregateException a => a.InnerExceptions.Select(Lost).FirstOrDefault(e => e is not null),
        _ => Lost(error.InnerException),
    };

    /// <summary>
    /// Where a lost scalar was met, from the stack of the error: the TorchSharp call that read it and the framework's
    /// method that made that call ("in TorchSharp's Tensor.add, called from FeatureEncoder.Forward"), so the retries of
    /// long runs show which code still runs with the collector free; null when the stack names neither.
    /// </summary>
    public static string? Where(Exception error)
    {
        if (Lost(error) is not { } lost) return null;
        var methods = new StackTrace(lost, false).GetFrames().Select(f => f.GetMethod()).OfType<MethodBase>().ToList();
        static string? Namespace(MethodBase m) => m.DeclaringType?.Namespace;
        // The compiler names a lambda <Method>b__… and an iterator's or async method's type <Method>d__…, nested in
        // the type that declares the method: name that type and the method.
        static string Inside(string name) => name.StartsWith('<') && name.IndexOf('>') is > 1 and var end ? name[1..end] : name;
        static string Name(MethodBase m)
        {
            var (type, name) = (m.DeclaringType, m.Name);
            if (type is { Name: ['<', ..] } && name == "MoveNext") name = type.Name;
            while (type is { IsNested: true, Name: ['<', ..] }) type = type.DeclaringType;
            return $"{type?.Name}.{Inside(name)}";
        }
        var ours = methods.FindIndex(m => Namespace(m)?.StartsWith("Wav2Vec", StringComparison.Ordinal) == true);
        if (ours < 0) return null;
        var torch = methods.Take(ours).LastOrDefault(m => Namespace(m)?.StartsWith("TorchSharp", StringComparison.Ordinal) == true);
        return torch is null ? $"in {Name(methods[ours])}" : $"in TorchSharp's {Name(torch)}, called from {Name(methods[ours])}";
    }

    /// <summary>
    /// The reports of <c>attempt(false)</c>; after a lost scalar, those of <c>attempt(true)</c> (the same run resumed from
    /// its newest checkpoint), at most <paramref name="retries"/> times, each retry announced on <paramref name="log"/>.
    /// Any other error, or one more lost scalar, ends the sequence with that error.
    /// </summary>
    public static IObservable<StepReport> Retrying(Func<bool, IObservable<StepReport>> attempt, Action<string>? log = null, int retries = DefaultRetries)
    {
        IObservable<StepReport> From(int retry) =>
            Observable.Defer(() =>
            {
                // The step this attempt reached: a resumed attempt may fail before the step an earlier one reached.
                long? reached = null;
                return attempt(retry > 0)
                    .Do(r => reached = r.Step)
                    .Catch<StepReport, Exception>(e => Is(e) && retry < retries
                        ? Observable.Defer(() =>
                        {
                            var where = (reached is { } step ? $"after step {step}" : "before the resumed run's first step")
                                        + (Where(e) is { } code ? $", {code}" : "");
                            log?.Invoke($"libtorch read a temporary scalar that TorchSharp had freed ({where}); " +
                                        $"resuming from the newest checkpoint (retry {retry + 1} of {retries}).");
                            return From(retry + 1);
                        })
                        : Observable.Throw<StepReport>(e));
            });
        return From(0);
    }
}
