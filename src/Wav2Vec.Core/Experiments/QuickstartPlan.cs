using System.Text.Json.Nodes;
using Wav2Vec.Checkpoints;
using Wav2Vec.Errors;
using Wav2Vec.Model;

namespace Wav2Vec.Experiments;

/// <summary>
/// What the quickstart compares: one fine-tuning recipe run twice on the same labels, from a pre-trained model
/// (<see cref="Pretrained"/>, whose description names the model directory in <c>pretrained</c>) and from scratch
/// (<see cref="Scratch"/>, whose description gives a network of the same architecture in <c>model</c>). The two
/// descriptions differ only in <see cref="ArmFields"/>: same corpus, steps, seed, optimiser and masking. The scratch arm
/// may also train its feature encoder (a random frozen encoder would handicap it).
/// </summary>
/// <param name="Pretrained">The arm that starts from a pre-trained model.</param>
/// <param name="Scratch">The arm that starts from random weights.</param>
/// <param name="PretrainedSource">Where <paramref name="Pretrained"/> was read from, for errors.</param>
/// <param name="ScratchSource">Where <paramref name="Scratch"/> was read from, for errors.</param>
public sealed record QuickstartPlan(FinetuneExperiment Pretrained, FinetuneExperiment Scratch,
    string PretrainedSource = "pretrained arm", string ScratchSource = "scratch arm")
{
    /// <summary>The quickstart's pre-trained arm: fine-tuning on <c>train-10min</c> from the model shipped in <c>models/</c>.</summary>
    public const string PretrainedFile = "experiments/finetune-10min-pretrained.json";

    /// <summary>The quickstart's scratch arm: the same fine-tuning from a fresh Tiny network.</summary>
    public const string ScratchFile = "experiments/finetune-10min-scratch.json";

    /// <summary>The pre-training the quickstart runs first when asked to make its own model instead of using the shipped one.</summary>
    public const string PretrainFile = "experiments/quickstart-pretrain.json";

    /// <summary>The description fields in which the two arms may differ.</summary>
    public static readonly IReadOnlyList<string> ArmFields = ["name", "pretrained", "model", "freezeFeatureEncoder"];

    /// <summary>
    /// Reads both arms and checks that they form a comparison: the first starts from a model directory, the second from
    /// a model config, under different names, and they agree on every field but <see cref="ArmFields"/>.
    /// </summary>
    /// <exception cref="ArgumentException">They do not; the message names the file and the field.</exception>
    public static QuickstartPlan Load(string pretrainedFile = PretrainedFile, string scratchFile = ScratchFile) =>
        new QuickstartPlan(ExperimentJson.Load<FinetuneExperiment>(pretrainedFile), ExperimentJson.Load<FinetuneExperiment>(scratchFile),
            pretrainedFile, scratchFile).Check();

    /// <summary>Returns this plan, or throws <see cref="ArgumentException"/> naming the file and field that break the comparison.</summary>
    public QuickstartPlan Check()
    {
        if (Pretrained.Pretrained is null)
            throw new ArgumentException($"{PretrainedSource}: field 'pretrained' must name the pre-trained model directory this arm starts from.");
        if (Scratch.Model is null)
            throw new ArgumentException($"{ScratchSource}: field 'model' must give the network trained from scratch, e.g. {{\"preset\": \"tiny\"}}.");
        if (Pretrained.Name == Scratch.Name)
            throw new ArgumentException($"{ScratchSource}: field 'name' is '{Scratch.Name}', the name of the pre-trained arm too; the arms need run folders of their own.");
        if (FirstDifference(Fields(Pretrained), Fields(Scratch), "") is { } d)
            throw new ArgumentException($"{ScratchSource}: field '{d.Field}' is {Text(d.Scratch)} but {Text(d.Pretrained)} in {PretrainedSource}; " +
                                        $"the arms may differ only in {string.Join(", ", ArmFields)}.");
        return this;
    }

    /// <summary>Where the comparison goes (<c>summary.json</c>, <c>report.html</c>): <c>quickstart/</c> beside the runs (<c>runs/quickstart</c>).</summary>
    public string Folder => Path.Combine(Pretrained.Output.Folder, "quickstart");

    /// <summary>The split both arms are evaluated on.</summary>
    public string TestSplit => Pretrained.Corpus.Test ?? "test";

    /// <summary>
    /// The plan with the pre-trained arm starting from <paramref name="modelDirectory"/>, a model pre-trained by the run
    /// <paramref name="pretrainName"/>, under a run name that says so (a run never resumes one that started elsewhere).
    /// </summary>
    public QuickstartPlan StartingFrom(string modelDirectory, string pretrainName) =>
        this with { Pretrained = Pretrained with { Name = $"{Pretrained.Name}-{pretrainName}", Pretrained = modelDirectory } };

    /// <summary>
    /// Checks that the pre-trained arm's directory holds a model (config.json and weights) of the scratch arm's
    /// architecture. A missing directory or file is a <see cref="HintedException"/> with <paramref name="hint"/>.
    /// </summary>
    public void RequireModel(string hint)
    {
        var directory = Pretrained.Pretrained!;
        Wav2Vec2Config config;
        try
        {
            config = Wav2Vec2Config.Load(Wav2Vec2Checkpoint.RequiredFile(directory, "config.json",
                "a model directory holds config.json and model.safetensors"));
            Wav2Vec2Checkpoint.WeightFile(directory);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HintedException(e, hint);
        }
        RequireArchitecture(config, directory);
    }

    /// <summary>Checks that <paramref name="config"/> (of the model in <paramref name="source"/>) is the scratch arm's architecture.</summary>
    /// <exception cref="ArgumentException">It is not; the message lists the fields that differ.</exception>
    public void RequireArchitecture(Wav2Vec2Config config, string source)
    {
        var differences = Wav2Vec2Architecture.Differences(config, Scratch.Model!);
        if (differences.Count > 0)
            throw new ArgumentException($"{ScratchSource}: field 'model' is not the architecture of {source} ({string.Join("; ", differences)}); " +
                                        "a from-scratch baseline needs the same network.");
    }

    static JsonObject Fields(FinetuneExperiment arm)
    {
        var json = JsonNode.Parse(ExperimentJson.Serialize(arm))!.AsObject();
        foreach (var field in ArmFields) json.Remove(field);
        return json;
    }

    /// <summary>The first field, in name order and by its dotted path, whose values differ.</summary>
    static (string Field, JsonNode? Pretrained, JsonNode? Scratch)? FirstDifference(JsonNode? a, JsonNode? b, string path)
    {
        if (a is JsonObject x && b is JsonObject y)
            return x.Select(kv => kv.Key).Union(y.Select(kv => kv.Key)).Order(StringComparer.Ordinal)
                .Select(key => FirstDifference(x[key], y[key], path.Length == 0 ? key : $"{path}.{key}"))
                .FirstOrDefault(d => d is not null);
        return JsonNode.DeepEquals(a, b) ? null : (path, a, b);
    }

    static string Text(JsonNode? node) => node?.ToJsonString() ?? "absent";
}
