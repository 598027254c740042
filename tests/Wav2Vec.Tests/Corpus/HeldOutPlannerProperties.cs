using FsCheck.Xunit;
using Wav2Vec.Corpus;

namespace Wav2Vec.Tests.Corpus;

public class HeldOutPlannerProperties
{
    /// <summary>30–400 utterances of 0.3–15 s whose transcripts repeat (a prompt read twice, a common reply).</summary>
    static HeldOutItem[] Items(int shape)
    {
        var random = new Random(shape);
        var texts = random.Next(5, 300);
        return [.. Enumerable.Range(0, random.Next(30, 400))
            .Select(i => new HeldOutItem($"u{i:D3}", $"text{random.Next(texts)}", 0.3 + 14.7 * random.NextDouble()))];
    }

    static Dictionary<string, string> SplitOf(HeldOutPlan plan) =>
        plan.Train.Select(id => (id, "train")).Concat(plan.Dev.Select(id => (id, "dev"))).Concat(plan.Test.Select(id => (id, "test")))
            .ToDictionary(p => p.id, p => p.Item2);

    [Property(MaxTest = 80)]
    public bool EveryUtteranceIsInExactlyOneSplit(int shape, long seed)
    {
        var items = Items(shape);
        var plan = HeldOutPlanner.Plan(items, 0.1, 0.2, seed);
        var all = plan.Train.Concat(plan.Dev).Concat(plan.Test).ToArray();
        return all.Length == items.Length && all.ToHashSet().SetEquals(items.Select(i => i.Id));
    }

    [Property(MaxTest = 80)]
    public bool NoTranscriptTextIsInTwoSplits(int shape, long seed)
    {
        var items = Items(shape);
        var split = SplitOf(HeldOutPlanner.Plan(items, 0.1, 0.2, seed));
        return items.GroupBy(i => i.Text).All(g => g.Select(i => split[i.Id]).Distinct().Count() == 1);
    }

    [Property(MaxTest = 80)]
    public bool HeldOutSplitsReachTheirShareAndPassItByLessThanOneTranscriptGroup(int shape, long seed)
    {
        var items = Items(shape);
        var total = items.Sum(i => i.Seconds);
        var largestGroup = items.GroupBy(i => i.Text).Max(g => g.Sum(i => i.Seconds));
        var byId = items.ToDictionary(i => i.Id);
        var plan = HeldOutPlanner.Plan(items, 0.1, 0.2, seed);
        bool Near(IReadOnlyList<string> ids, double share)
        {
            var seconds = ids.Sum(id => byId[id].Seconds);
            return seconds >= share * total - 1e-9 && seconds < share * total + largestGroup;
        }
        return Near(plan.Test, 0.2) && Near(plan.Dev, 0.1);
    }

    [Property(MaxTest = 40)]
    public bool PlanningDependsOnTheSeedNotTheInputOrder(int shape, long seed)
    {
        var items = Items(shape);
        var a = HeldOutPlanner.Plan(items, 0.1, 0.2, seed);
        var b = HeldOutPlanner.Plan([.. items.Reverse()], 0.1, 0.2, seed);
        return a.Train.SequenceEqual(b.Train) && a.Dev.SequenceEqual(b.Dev) && a.Test.SequenceEqual(b.Test);
    }

    [Fact]
    public void DifferentSeedsHoldOutDifferentUtterances()
    {
        var items = Items(7);
        Assert.NotEqual(HeldOutPlanner.Plan(items, 0.1, 0.2, 1).Test, HeldOutPlanner.Plan(items, 0.1, 0.2, 2).Test);
    }

    [Theory]
    [InlineData(-0.1, 0.2)]
    [InlineData(0.5, 0.5)]
    public void FractionsMustLeaveSomethingToTrainOn(double dev, double test) =>
        Assert.Contains("dev and test fractions", Assert.Throws<ArgumentException>(() => HeldOutPlanner.Plan(Items(1), dev, test, 0)).Message);
}
