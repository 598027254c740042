using System.Reactive.Linq;
using Spectre.Console;
using Wav2Vec.Experiments;
using Wav2Vec.Sinks;

namespace Wav2Vec.Tests.Sinks;

public class ConsoleProgressTests
{
    static (IAnsiConsole Console, StringWriter Text) Capture(bool interactive)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        return (console, text);
    }

    [Fact]
    public void WithoutATerminalPrintsPlainLinesThrottledByRunTimeIncludingTheLast()
    {
        var (console, text) = Capture(interactive: false);
        Reports.Curve("tiny", 25).ToObservable().ShowProgress(console, TimeSpan.FromSeconds(10)).Wait();
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["step 1/100", "step 11/100", "step 21/100", "step 25/100"],
            lines.Select(l => string.Join(' ', l.Split(' ').Skip(2).Take(2))));
        Assert.DoesNotContain('\u001b', text.ToString());
        Assert.Equal("tiny pretrain step 25/100 (25.0%)  loss 0.2  perplexity 35  lr 0.0005  elapsed 0:00:25  eta 0:01:15", lines[^1]);
    }

    [Fact]
    public void OnATerminalDrawsABarWithRunPhaseAndHeadlineMetrics()
    {
        var (console, text) = Capture(interactive: true);
        using (var progress = new ConsoleProgress(console))
        {
            Assert.True(progress.Interactive);
            foreach (var r in Reports.Curve("tiny", 3)) progress.OnNext(r);
        }
        var output = text.ToString();
        Assert.Contains("tiny pretrain 3/100", output);
        Assert.Contains("loss 1.667", output);
        Assert.Contains("3%", output);
    }

    [Fact]
    public void HeadlinePutsKnownMetricsFirst()
    {
        var report = Reports.At(1, ("zeta", 1), ("wer", 0.3), ("loss", 2), ("alpha", 3));
        Assert.Equal(["loss", "wer", "alpha", "zeta"], ProgressText.Headline(report).Select(m => m.Key));
        Assert.Equal(["loss", "wer"], ProgressText.Headline(report, 2).Select(m => m.Key));
    }

    [Fact]
    public void EtaFollowsTheAveragePaceAndIsUnknownWithoutATotal()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), ProgressText.Eta(TimeSpan.FromSeconds(10), 10, 100));
        Assert.Null(ProgressText.Eta(TimeSpan.FromSeconds(10), 10, null));
        Assert.Null(ProgressText.Eta(TimeSpan.Zero, 0, 100));
        Assert.Equal("12:03:04", ProgressText.Format(new TimeSpan(12, 3, 4)));
    }

    [Fact]
    public void FailureShowsTheLastReportAndLeavesTheErrorToTheCaller()
    {
        var (console, text) = Capture(interactive: false);
        var failing = Reports.Curve("tiny", 25).ToObservable()
            .Concat(Observable.Throw<StepReport>(new InvalidOperationException("loss is NaN at step 26")));
        var error = Assert.Throws<InvalidOperationException>(() => failing.ShowProgress(console, TimeSpan.FromSeconds(10)).Wait());
        Assert.Equal("loss is NaN at step 26", error.Message);
        var output = text.ToString();
        Assert.Contains("tiny pretrain step 25/100", output);
        Assert.DoesNotContain("NaN", output);
    }
}
