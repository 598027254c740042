using System.Globalization;
using System.Reflection;
using Wav2Vec.Plots;
using Wav2Vec.Sinks;

namespace Wav2Vec.Interactive;

/// <summary>
/// Rows of records or anonymous objects as one plain table, a column per public property: the kernel's own formatter
/// shows a sequence as an index/value list of collapsible trees, hard to compare down a column. Numbers get 4
/// significant digits (as the progress lines), sequences are joined with commas. Make one with <c>rows.ToTable()</c>.
/// </summary>
/// <param name="Headers">Column names (the property names).</param>
/// <param name="Rows">Cell text, one list per row, as wide as <paramref name="Headers"/>.</param>
public sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>A table of <paramref name="items"/>, columns in the order <typeparamref name="T"/> declares its properties.</summary>
    public static Table Of<T>(IEnumerable<T> items)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToList();
        if (properties.Count == 0) throw new ArgumentException($"{typeof(T).Name} has no public properties to show as columns.", nameof(items));
        return new Table(properties.Select(p => p.Name).ToList(),
            items.Select(item => (IReadOnlyList<string>)properties.Select(p => Cell(p.GetValue(item))).ToList()).ToList());
    }

    /// <summary>The HTML table (cells encoded).</summary>
    public string ToHtml() => HtmlReport.Table(Headers, Rows);

    /// <summary>One cell's text: empty for null, 4 significant digits for floating point, invariant culture throughout.</summary>
    public static string Cell(object? value) => value switch
    {
        null => "",
        double d => ProgressText.Format(d),
        float f => ProgressText.Format(f),
        string s => s,
        System.Collections.IEnumerable sequence => string.Join(", ", sequence.Cast<object?>().Select(Cell)),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary><c>rows.ToTable()</c> for notebook cells.</summary>
public static class TableExtensions
{
    /// <inheritdoc cref="Table.Of{T}(IEnumerable{T})"/>
    public static Table ToTable<T>(this IEnumerable<T> items) => Table.Of(items);
}
