using FsCheck.Xunit;
using Wav2Vec.Corpus;

namespace Wav2Vec.Tests.Corpus;

public class SplitPlannerProperties
{
    static readonly Budget[] Budgets = [new("small", 600), new("medium", 1800), new("large", 5400)];

    /// <summary>A pool of 50–650 utterances of 1–20 s over 3–12 voices, drawn from <paramref name="shape"/>.</summary>
    static PooledUtterance[] Pool(int shape)
    {
        var random = new Random(shape);
        var voices = random.Next(3, 13);
        return [.. Enumerable.Range(0, random.Next(50, 650))
            .Select(i => new PooledUtterance($"u{i:D4}", $"voice{random.Next(voices)}", 1 + 19 * random.NextDouble()))];
    }

    [Property(MaxTest = 60)]
    public bool BudgetsAreNested(int shape, long seed)
    {
        var subsets = SplitPlanner.PlanLabelledSubsets(Pool(shape), Budgets, seed);
        return subsets.Zip(subsets.Skip(1)).All(p => p.First.Ids.ToHashSet().IsSubsetOf(p.Second.Ids));
    }

    [Property(MaxTest = 60)]
    public bool EachBudgetIsWithinTwoPercentOfItsTargetAndCappedOnlyWhenThePoolIsSmaller(int shape, long seed)
    {
        var pool = Pool(shape);
        var total = pool.Sum(u => u.Seconds);
        return SplitPlanner.PlanLabelledSubsets(pool, Budgets, seed).All(s =>
            Math.Abs(s.Seconds - s.TargetSeconds) <= SplitPlanner.Tolerance * s.TargetSeconds
            && s.Capped == (total < s.NominalSeconds)
            && (!s.Capped || Math.Abs(s.Seconds - total) < 1e-6));
    }

    [Property(MaxTest = 60)]
    public bool SubsetsAreBalancedOverVoices(int shape, long seed)
    {
        var pool = Pool(shape);
        var maxLength = pool.Max(u => u.Seconds);
        var voiceTotals = pool.GroupBy(u => u.Voice).ToDictionary(g => g.Key, g => g.Sum(u => u.Seconds));
        var byId = pool.ToDictionary(u => u.Id);
        return SplitPlanner.PlanLabelledSubsets(pool, Budgets, seed).All(s =>
        {
            var selected = voiceTotals.Keys.ToDictionary(v => v, v => s.Ids.Where(id => byId[id].Voice == v).Sum(id => byId[id].Seconds));
            var most = selected.Values.Max();
            // A voice is either used up or within one utterance of the most-used voice.
            return selected.All(v => Math.Abs(v.Value - voiceTotals[v.Key]) < 1e-6 || v.Value >= most - maxLength - 1e-6);
        });
    }

    [Property(MaxTest = 30)]
    public bool PlanningIsDeterministicBySeed(int shape, long seed)
    {
        var pool = Pool(shape);
        var a = SplitPlanner.PlanLabelledSubsets(pool, Budgets, seed);
        var b = SplitPlanner.PlanLabelledSubsets(pool.Reverse().ToArray(), Budgets, seed);
        return a.Zip(b).All(p => p.First.Ids.SequenceEqual(p.Second.Ids));
    }

    [Property(MaxTest = 100)]
    public bool DevAndTestVoicesAreDisjointFromTrainingAndFromEachOther(byte voiceCount, long seed)
    {
        var voices = Enumerable.Range(0, 3 + voiceCount % 60).Select(i => $"engine/v{i}").ToArray();
        var p = SplitPlanner.PartitionVoices(voices, seed);
        var again = SplitPlanner.PartitionVoices(voices.Reverse(), seed);
        return p.Dev.Count > 0 && p.Test.Count > 0 && p.Train.Count > 0
            && !p.Train.Intersect(p.Dev.Concat(p.Test)).Any() && !p.Dev.Intersect(p.Test).Any()
            && p.Train.Count + p.Dev.Count + p.Test.Count == voices.Length
            && p.Train.SequenceEqual(again.Train) && p.Dev.SequenceEqual(again.Dev) && p.Test.SequenceEqual(again.Test);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentSubsets()
    {
        var pool = Pool(7);
        Assert.NotEqual(SplitPlanner.PlanLabelledSubsets(pool, Budgets, 1)[0].Ids, SplitPlanner.PlanLabelledSubsets(pool, Budgets, 2)[0].Ids);
    }

    [Fact]
    public void TooFewVoicesAreRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => SplitPlanner.PartitionVoices(["a", "b"], 0));
        Assert.Contains("at least 3 distinct voices", e.Message);
    }
}
