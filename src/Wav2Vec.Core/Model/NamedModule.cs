using static TorchSharp.torch;

namespace Wav2Vec.Model;

/// <summary>
/// Base of the model's modules. Children and parameters are registered explicitly under their Hugging Face
/// state-dict names; TorchSharp's automatic registration under C# field names is switched off so that only those
/// names exist.
/// </summary>
public abstract class NamedModule(string name) : nn.Module(name)
{
    /// <inheritdoc />
    protected override void RegisterComponents() { }
}
