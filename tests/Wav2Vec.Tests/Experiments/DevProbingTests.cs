using Wav2Vec.Experiments;

namespace Wav2Vec.Tests.Experiments;

public sealed class DevProbingTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("wav2vec-probe-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void AFolderWithoutAPretrainingDescriptionIsRefusedNamingIt()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => DevProbing.Measure(dir, null, _ => { }));
        Assert.StartsWith($"{Path.Combine(dir, "experiment.json")}: not found", missing.Message);

        File.WriteAllText(Path.Combine(dir, "experiment.json"), """{"kind": "finetune", "name": "f", "pretrained": "p"}""");
        var finetune = Assert.Throws<ArgumentException>(() => DevProbing.Measure(dir, null, _ => { }));
        Assert.Contains("not a pre-training run", finetune.Message);

        File.WriteAllText(Path.Combine(dir, "experiment.json"), """{"kind": "pretrain", "name": "p", "corpus": {"dev": null}}""");
        Assert.Contains("corpus.dev is null", Assert.Throws<ArgumentException>(() => DevProbing.Measure(dir, null, _ => { })).Message);

        File.WriteAllText(Path.Combine(dir, "experiment.json"), """{"kind": "pretrain", "name": "p", "corpus": {"dev": "dev"}}""");
        var none = Assert.Throws<DirectoryNotFoundException>(() => DevProbing.Measure(dir, Path.Combine(dir, "nope"), _ => { }));
        Assert.StartsWith(Path.Combine(dir, "nope"), none.Message);
    }
}
