using System.Globalization;
using System.Text;
using System.Text.Json;
using Wav2Vec.Experiments;

namespace Wav2Vec.Sinks;

/// <summary>
/// One <see cref="StepReport"/> as one JSON object (a JSONL line), with snake_case field names so pandas,
/// jq and TensorBoard-style tools read the log without a schema:
/// <c>{"run":"tiny","phase":"pretrain","step":10,"epoch":0,"elapsed_s":1.5,"lr":0.0005,"metrics":{"loss":4.2},"total_steps":100,"checkpoint":null}</c>.
/// Non-finite metrics (a diverged loss) are written as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
/// </summary>
public static class StepReportJson
{
    /// <summary>The report as a single-line JSON object.</summary>
    public static string Serialize(StepReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("run", report.Run);
            w.WriteString("phase", StepReport.PhaseName(report.Phase));
            w.WriteNumber("step", report.Step);
            w.WriteNumber("epoch", report.Epoch);
            w.WriteNumber("elapsed_s", report.Elapsed.TotalSeconds);
            WriteDouble(w, "lr", report.LearningRate);
            w.WriteStartObject("metrics");
            foreach (var (name, value) in report.Metrics) WriteDouble(w, name, value);
            w.WriteEndObject();
            if (report.TotalSteps is { } total) w.WriteNumber("total_steps", total); else w.WriteNull("total_steps");
            w.WriteString("checkpoint", report.Checkpoint);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses one line written by <see cref="Serialize"/>; errors name <paramref name="where"/> (file:line) and the field.</summary>
    public static StepReport Deserialize(string json, string where = "json")
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            return StepReport.Create(
                Required(root, "run", where).GetString() ?? throw new FormatException($"{where}: field 'run' is null."),
                StepReport.ParsePhase(Required(root, "phase", where).GetString() ?? ""),
                Required(root, "step", where).GetInt64(),
                Required(root, "epoch", where).GetInt32(),
                TimeSpan.FromSeconds(Required(root, "elapsed_s", where).GetDouble()),
                ReadDouble(Required(root, "lr", where), "lr", where),
                Required(root, "metrics", where).EnumerateObject()
                    .Select(p => KeyValuePair.Create(p.Name, ReadDouble(p.Value, $"metrics.{p.Name}", where))),
                root.TryGetProperty("total_steps", out var total) && total.ValueKind == JsonValueKind.Number ? total.GetInt64() : null,
                root.TryGetProperty("checkpoint", out var checkpoint) ? checkpoint.GetString() : null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"{where}: not a step report ({e.Message}).", e);
        }
    }

    /// <summary>The report on <paramref name="json"/>, or null when it is not one (e.g. a line cut off mid-write).</summary>
    public static StepReport? TryDeserialize(string json)
    {
        try
        {
            return Deserialize(json);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    static JsonElement Required(JsonElement root, string field, string where) =>
        root.TryGetProperty(field, out var value) ? value : throw new FormatException($"{where}: field '{field}' is missing.");

    static void WriteDouble(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    static double ReadDouble(JsonElement e, string field, string where) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => throw new FormatException($"{where}: field '{field}' is not a number ({e}).")
    };
}
