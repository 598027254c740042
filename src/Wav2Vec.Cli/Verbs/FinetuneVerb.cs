using System.CommandLine;
using Wav2Vec.Training;

namespace Wav2Vec.Cli.Verbs;

/// <summary><c>./wav2vec finetune EXPERIMENT.json</c>: CTC fine-tuning of a pre-trained model (see <see cref="FineTuneExperiment"/>).</summary>
public sealed class FinetuneVerb : IVerb
{
    public int Order => 50;

    public Command Build()
    {
        var file = new Argument<FileInfo>("EXPERIMENT") { Description = "Fine-tuning description (JSON: pretrained, manifest, train, dev, steps, learningRate, ...)." };
        var command = new Command("finetune", "Fine-tune a pre-trained model with CTC on a labelled split; keeps the best dev-WER checkpoint.");
        command.Arguments.Add(file);
        command.SetAction(parse =>
        {
            var experiment = FineTuneExperiment.Load(parse.GetValue(file)!.FullName);
            var result = FineTuning.Run(experiment, Console.WriteLine);
            Console.WriteLine($"best dev WER {result.BestWer:P2} CER {result.BestCer:P2} at update {result.BestStep} → {result.BestDirectory}; " +
                              $"{result.SkippedUpdates} of {result.Updates} updates skipped (non-finite).");
            return 0;
        });
        return command;
    }
}
