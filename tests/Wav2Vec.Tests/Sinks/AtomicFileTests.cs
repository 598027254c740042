using Wav2Vec.Sinks;

namespace Wav2Vec.Tests.Sinks;

public class AtomicFileTests
{
    [Fact]
    public void FailedWriteLeavesOldContentAndNoTemporaryFile()
    {
        var dir = Reports.TempFolder();
        var path = Path.Combine(dir, "state.json");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("partial"u8);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void WriteReplacesContent()
    {
        var path = Path.Combine(Reports.TempFolder(), "sub", "x.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        AtomicFile.WriteAllBytes(path, [4]);
        Assert.Equal([4], File.ReadAllBytes(path));
    }

    [Fact]
    public void DirectoryAppearsCompleteOrNotAtAll()
    {
        var dir = Reports.TempFolder();
        var checkpoint = Path.Combine(dir, "checkpoint-10");
        AtomicFile.WriteDirectory(checkpoint, tmp => File.WriteAllText(Path.Combine(tmp, "config.json"), "{}"));
        Assert.Throws<IOException>(() => AtomicFile.WriteDirectory(checkpoint, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, "config.json"), "{\"new\":1}");
            throw new IOException("killed while writing model.safetensors");
        }));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(checkpoint, "config.json")));
        Assert.Equal([checkpoint], Directory.GetFileSystemEntries(dir));

        AtomicFile.WriteDirectory(checkpoint, tmp => File.WriteAllText(Path.Combine(tmp, "model.safetensors"), "w"));
        Assert.Equal(["model.safetensors"], Directory.GetFiles(checkpoint).Select(Path.GetFileName));
        Assert.Equal([checkpoint], Directory.GetFileSystemEntries(dir));
    }
}
