using System.Reactive.Linq;
using System.Text;
using Wav2Vec.Sinks;

namespace Wav2Vec.Tests.Sinks;

public class TensorBoardLogTests
{
    [Fact]
    public void WritesAnEventFilePerRunWithPhaseMetricTags()
    {
        var dir = Reports.TempFolder();
        Reports.Curve("run-a", 3).Concat(Reports.Curve("run/b", 2)).ToObservable().LogTensorBoard(dir).Wait();

        var runs = Directory.GetDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["run-a", "run_b"], runs);
        var events = Directory.GetFiles(Path.Combine(dir, "run-a"), "events.out.tfevents.*", SearchOption.AllDirectories);
        var bytes = File.ReadAllBytes(Assert.Single(events));
        var text = Encoding.ASCII.GetString(bytes);
        Assert.Contains("pretrain/loss", text);
        Assert.Contains("pretrain/perplexity", text);
        Assert.Contains("pretrain/lr", text);
        Assert.Contains(BitConverter.GetBytes(5.0f / 3), Windows(bytes, 4));
    }

    static IEnumerable<byte[]> Windows(byte[] bytes, int size) =>
        Enumerable.Range(0, bytes.Length - size + 1).Select(i => bytes[i..(i + size)]);
}
