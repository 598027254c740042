using Wav2Vec.Audio;
using Wav2Vec.Data;
using Wav2Vec.Tests.Audio;

namespace Wav2Vec.Tests.Data;

public class ManifestTests
{
    readonly string dir = TestAudio.TempDir();

    [Fact]
    public void LabelledManifestRoundTripsThroughTsvLtrAndWrd()
    {
        var manifest = new Manifest("/data/audio", [
            new("spk1/a.wav", 16_000, "HELLO|WORLD", "HELLO WORLD"),
            new("spk2/b.wav", 32_123, "IT'S", "IT'S"),
        ]);
        ManifestFiles.Write(dir, "dev", manifest);
        Assert.Equal("/data/audio\nspk1/a.wav\t16000\nspk2/b.wav\t32123\n", File.ReadAllText(Path.Combine(dir, "dev.tsv")));
        Assert.Equal("H E L L O | W O R L D |\nI T ' S |\n", File.ReadAllText(Path.Combine(dir, "dev.ltr")));
        Assert.Equal("HELLO WORLD\nIT'S\n", File.ReadAllText(Path.Combine(dir, "dev.wrd")));
        var read = ManifestFiles.Read(dir, "dev");
        Assert.Equal(manifest.Root, read.Root);
        Assert.Equal(manifest.Entries, read.Entries);
        Assert.Equal("spk1/a", read.Entries[0].Id);
    }

    [Fact]
    public void UnlabelledManifestWritesOnlyTheTsv()
    {
        ManifestFiles.Write(dir, "train", new Manifest("/r", [new("a.wav", 5)]));
        Assert.False(File.Exists(Path.Combine(dir, "train.ltr")));
        Assert.False(ManifestFiles.Read(dir, "train").IsLabelled);
    }

    [Fact]
    public void MalformedLinesAndMismatchedLabelsNameFileAndLine()
    {
        File.WriteAllText(Path.Combine(dir, "bad.tsv"), "/r\na.wav\t10\nb.wav\tlots\n");
        var e = Assert.Throws<FormatException>(() => ManifestFiles.Read(dir, "bad"));
        Assert.Contains("bad.tsv:3", e.Message);
        File.WriteAllText(Path.Combine(dir, "short.tsv"), "/r\na.wav\t10\nb.wav\t11\n");
        File.WriteAllText(Path.Combine(dir, "short.ltr"), "A |\n");
        Assert.Contains("short.ltr: 1 lines but the .tsv lists 2", Assert.Throws<FormatException>(() => ManifestFiles.Read(dir, "short")).Message);
    }

    [Fact]
    public void RelativeRootIsResolvedAgainstTheManifestFolder()
    {
        File.WriteAllText(Path.Combine(dir, "rel.tsv"), "wav\na.wav\t10\n");
        var m = ManifestFiles.Read(dir, "rel");
        Assert.Equal(Path.Combine(dir, "wav", "a.wav"), m.FullPath(m.Entries[0]));
    }

    [Fact]
    public void FolderScanCountsSamplesAtSixteenKiloHertzAndReadsTranscriptsBesideTheAudio()
    {
        var audio = Directory.CreateDirectory(Path.Combine(dir, "audio", "spk")).FullName;
        TestAudio.WriteWav(Path.Combine(audio, "one.wav"), TestAudio.Sine(440, 1, 8_000), 8_000, 1, 16);
        File.WriteAllText(Path.Combine(audio, "one.txt"), "Hello, world!\n");
        TestAudio.WriteWav(Path.Combine(audio, "two.wav"), TestAudio.Sine(440, 0.5, 16_000), 16_000, 1, 16);
        File.WriteAllText(Path.Combine(audio, "two.lab"), "Room 101");
        TestAudio.WriteWav(Path.Combine(audio, "three.wav"), TestAudio.Sine(440, 0.5, 16_000), 16_000, 1, 16);
        File.WriteAllBytes(Path.Combine(audio, "four.flac"), [.. "fLaC"u8, 0, 0, 0, 0]);

        var result = ManifestBuilder.FromFolder(Path.Combine(dir, "audio"), policy: BadAudioPolicy.Skip);

        Assert.Equal(["spk/one.wav", "spk/two.wav"], result.Manifest.Entries.Select(e => e.Path));
        Assert.Equal(16_000, result.Manifest.Entries[0].NumSamples);
        Assert.Equal("HELLO|WORLD", result.Manifest.Entries[0].Letters);
        Assert.Equal("ROOM", result.Manifest.Entries[1].Words);
        Assert.Equal([("spk/two", "'1', '0'")], result.Unmapped);
        Assert.Equal(["spk/three.wav"], result.WithoutTranscript);
        Assert.Equal(1, result.Skipped.ByProblem[AudioProblem.UnsupportedFormat]);
        Assert.Contains("four.flac", result.Skipped.Describe());
    }

    [Fact]
    public void FolderScanFailsOnBadAudioByDefaultNamingTheFile()
    {
        var audio = Directory.CreateDirectory(Path.Combine(dir, "bad")).FullName;
        File.WriteAllBytes(Path.Combine(audio, "x.ogg"), [.. "OggS"u8, 0, 0]);
        var e = Assert.Throws<AudioDecodeException>(() => ManifestBuilder.FromFolder(audio));
        Assert.Contains("x.ogg", e.Message);
    }
}
